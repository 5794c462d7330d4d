import { auditRouteRefs, buildOpenApiDocument, type OpenApiDocument } from '@sanad/service-kit';
import { publicRoutes, routes } from './routes';

/** The check-in service's OpenAPI 3.1 document, made from its route catalogue. */
export const checkinOpenApiDocument = (): OpenApiDocument =>
  buildOpenApiDocument({
    title: 'Check-in service',
    version: '0.1.0',
    description:
      'Follow-up plans of placements, the check-ins they ask for and the answers given: by a ' +
      "coach with a service token, or by a participant or supervisor with their signed link's " +
      'secret. Answers are personal data: each read and write is recorded in the audit log.',
    routes: { ...routes, ...auditRouteRefs },
    publicRoutes,
  });
