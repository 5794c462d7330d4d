import { Router, type Request } from 'express';
import { callerOf, parseOrThrow, validateBody } from '@sanad/service-kit';
import type {
  makeCreateEmployer,
  makeGetEmployer,
  makeListEmployers,
  makeUpdateEmployer,
} from '../application/manage-employers';
import type { Employer } from '../domain/employer';
import { accessContext } from './access-context';
import { employerRoutes } from './employers.catalogue';
import {
  CreateEmployerBody,
  EmployerIdParam,
  ListEmployersQuery,
  UpdateEmployerBody,
  type EmployerView,
} from './employers.schemas';
import { idempotencyKeyOf } from './idempotency-key';

export interface EmployerRoutesDeps {
  createEmployer: ReturnType<typeof makeCreateEmployer>;
  getEmployer: ReturnType<typeof makeGetEmployer>;
  listEmployers: ReturnType<typeof makeListEmployers>;
  updateEmployer: ReturnType<typeof makeUpdateEmployer>;
}

/** An employer as the API shows it, with its contacts. */
export const employerView = (e: Employer): EmployerView => ({
  id: e.id,
  name: e.name,
  sector: e.sector,
  region: e.region,
  contacts: e.contacts.map((c) => ({ ...c })),
  version: e.version,
  createdAt: e.createdAt,
});

export function employerRouter(deps: EmployerRoutesDeps): Router {
  const router = Router();
  const employerIdOf = (req: Request) =>
    parseOrThrow(EmployerIdParam, req.params, 'params').employerId;

  router.post(
    employerRoutes.createEmployer.path,
    validateBody(CreateEmployerBody),
    async (req, res) => {
      const idempotencyKey = idempotencyKeyOf(req);
      const { employer, created } = await deps.createEmployer({
        context: accessContext(req, res),
        command: req.body as CreateEmployerBody,
        idempotencyKey,
      });
      res
        .status(created ? 201 : 200)
        .location(`/employers/${employer.id}`)
        .json({ employer: employerView(employer) });
    },
  );

  router.get(employerRoutes.listEmployers.path, async (req, res) => {
    const query = parseOrThrow(ListEmployersQuery, req.query, 'query');
    const found = await deps.listEmployers({ caller: callerOf(res), ...query });
    res.json({
      employers: found.map(({ id, name, sector, region }) => ({ id, name, sector, region })),
    });
  });

  router.get(employerRoutes.getEmployer.path, async (req, res) => {
    const employerId = employerIdOf(req);
    const employer = await deps.getEmployer({ context: accessContext(req, res), employerId });
    res.json({ employer: employerView(employer) });
  });

  router.put(
    employerRoutes.updateEmployer.path,
    validateBody(UpdateEmployerBody),
    async (req, res) => {
      const employerId = employerIdOf(req);
      const { employer } = await deps.updateEmployer({
        context: accessContext(req, res),
        employerId,
        command: req.body as UpdateEmployerBody,
      });
      res.json({ employer: employerView(employer) });
    },
  );

  return router;
}
