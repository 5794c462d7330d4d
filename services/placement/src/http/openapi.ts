import { buildOpenApiDocument, type OpenApiDocument } from '@sanad/service-kit';
import { publicRoutes, routes } from './routes';

/** The placement service's OpenAPI 3.1 document, made from its route catalogue. */
export const placementOpenApiDocument = (): OpenApiDocument =>
  buildOpenApiDocument({
    title: 'Placement service',
    version: '0.1.0',
    description:
      'Participants and their placements. Every route but the probes and this document needs a ' +
      'service token; personal data is read and changed for a purpose, recorded in the audit log.',
    routes,
    publicRoutes,
  });
