import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { CONSENT_PURPOSES, DISABILITY_CATEGORIES } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import type { ServiceClient } from '../clients/service-client';
import { callerOf, type User } from '../domain/user';
import type { ProgrammeRepository } from '../persistence/programmes.repository';
import type { UserRepository } from '../persistence/users.repository';
import {
  emptyForm,
  formErrorsFromService,
  parseForm,
  type FormState,
  type Translate,
} from './forms';
import { requireRole, requireUser, signedIn } from './identity.middleware';
import {
  CoachForm,
  ConsentsForm,
  consentsFrom,
  ErasureForm,
  ParticipantIdParam,
  RegisterParticipantForm,
} from './participants.forms';

interface PlacementSummary {
  id: string;
  jobTitle: string;
  startDate: string;
  hoursPerWeek: number;
  status: string;
}

interface ParticipantView {
  id: string;
  code: string;
  status: 'active' | 'pseudonymised' | 'erased';
  programmeId: string;
  coachId: string;
  fullName?: string;
  phone?: string;
  email?: string;
  preferredLanguage?: 'ar' | 'en';
  disabilityCategory?: string;
  accommodationNeeds?: string;
  consents?: Record<string, { granted: boolean; changedAt: string }>;
  version: number;
}

/**
 * Participants' pages. The placement service holds their personal data, decides who may see it and
 * audits every read and change; these pages only ask it, as the signed-in user.
 */
export function participantRoutes(deps: {
  placements: ServiceClient;
  users: UserRepository;
  programmes: ProgrammeRepository;
}): Router {
  const router = Router();
  router.use('/participants', requireUser, requireRole('admin', 'programme-manager', 'coach'));
  const t = (res: Response) => res.locals.t as Translate;
  const mayManage = (user: User) => user.role === 'admin' || user.role === 'programme-manager';
  /** Export, erasure and moving a caseload are for admins and managers (the service checks too). */
  const managerOnly = (res: Response) => {
    const user = signedIn(res);
    if (!mayManage(user)) throw new AppError('FORBIDDEN', 'for admins and programme managers');
    return user;
  };

  const idOf = (req: Request) => {
    const parsed = ParticipantIdParam.safeParse(req.params);
    if (!parsed.success) throw AppError.notFound('participant');
    return parsed.data.participantId;
  };

  /** The programmes and coaches a user may choose from when registering. */
  const choices = async (user: User) => {
    const programmes = (await deps.programmes.list()).filter(
      (p) => user.role === 'admin' || user.programmeIds.includes(p.id),
    );
    const coaches =
      user.role === 'coach'
        ? [user]
        : (await deps.users.activeWithRole('coach')).filter(
            (c) =>
              user.role === 'admin' || c.programmeIds.some((p) => user.programmeIds.includes(p)),
          );
    return { programmes, coaches };
  };

  router.get('/participants', async (_req, res) => {
    const user = signedIn(res);
    const answer = await deps.placements.get<{ participants: ParticipantView[] }>(
      '/participants?limit=100',
      callerOf(user),
    );
    res.render('pages/participants/list', {
      title: t(res)('participants.list.title'),
      participants: answer?.participants ?? [],
    });
  });

  const renderNew = async (res: Response, status: number, form: FormState) => {
    res.status(status).render('pages/participants/new', {
      title: t(res)('participants.new.title'),
      form,
      ...(await choices(signedIn(res))),
      categories: DISABILITY_CATEGORIES,
      consentPurposes: CONSENT_PURPOSES,
    });
  };

  router.get('/participants/new', async (_req, res) => {
    const user = signedIn(res);
    await renderNew(
      res,
      200,
      emptyForm({
        idempotencyKey: randomUUID(), // one form, one participant: a double submit is a replay
        preferredLanguage: 'ar',
        coachId: user.role === 'coach' ? user.id : '',
        consents: [],
      }),
    );
  });

  router.post('/participants', async (req, res) => {
    const user = signedIn(res);
    const parsed = parseForm(RegisterParticipantForm, req.body, t(res));
    if (!parsed.ok) return renderNew(res, 400, parsed.form);
    const { idempotencyKey, consents, ...fields } = parsed.data;
    try {
      const { participant } = await deps.placements.send<{ participant: ParticipantView }>(
        'POST',
        '/participants',
        callerOf(user),
        { body: { ...fields, consents: consentsFrom(consents) }, idempotencyKey },
      );
      res.redirect(303, `/participants/${participant.id}?registered=1`);
    } catch (error) {
      if (error instanceof AppError && error.code === 'FORBIDDEN') {
        return renderNew(res, 403, {
          values: parsed.data,
          errors: [{ field: 'programmeId', message: t(res)('errors.notYourProgramme') }],
        });
      }
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
        // what our form let through and the service did not: shown on the fields, not as a 500
        const problems = (error.details.problems ?? []) as { path: string }[];
        return renderNew(res, 400, {
          values: parsed.data,
          errors: formErrorsFromService(problems, t(res)),
        });
      }
      throw error;
    }
  });

  const renderParticipant = async (
    req: Request,
    res: Response,
    status: number,
    forms: { consents?: FormState; erasure?: FormState; coach?: FormState } = {},
  ) => {
    const user = signedIn(res);
    const answer = await deps.placements.get<{ participant: ParticipantView }>(
      `/participants/${idOf(req)}`,
      callerOf(user),
    );
    if (!answer) throw AppError.notFound('participant');
    const { participant } = answer;
    const granted = CONSENT_PURPOSES.filter((c) => participant.consents?.[c]?.granted);
    const [coach, programmes, coaches, history] = await Promise.all([
      deps.users.findById(participant.coachId),
      deps.programmes.list(),
      mayManage(user) ? deps.users.activeWithRole('coach') : Promise.resolve([]),
      deps.placements.get<{ placements: PlacementSummary[] }>(
        `/placements?participantId=${participant.id}&limit=100`,
        callerOf(user),
      ),
    ]);
    res.status(status).render('pages/participants/show', {
      title: t(res)('participants.show.title', { code: participant.code }),
      participant,
      placements: history?.placements ?? [],
      coachName: coach?.displayName,
      programmeName: programmes.find((p) => p.id === participant.programmeId)?.name,
      consentPurposes: CONSENT_PURPOSES,
      form: forms.consents ?? emptyForm({ consents: granted }),
      erasureForm: forms.erasure ?? emptyForm(),
      coachForm: forms.coach ?? emptyForm({ coachId: participant.coachId }),
      // the coaches of the participant's programme, to move their caseload to
      coaches: coaches.filter((c) => c.programmeIds.includes(participant.programmeId)),
      mayManage: mayManage(user),
      notice: ['registered', 'consentsSaved', 'erased', 'coachChanged', 'edited'].find(
        (k) => req.query[k] === '1',
      ),
    });
  };

  router.get('/participants/:participantId', (req, res) => renderParticipant(req, res, 200));

  router.post('/participants/:participantId/consents', async (req, res) => {
    const id = idOf(req);
    const parsed = parseForm(ConsentsForm, req.body, t(res));
    if (!parsed.ok) return renderParticipant(req, res, 400, { consents: parsed.form });
    await deps.placements.send('PUT', `/participants/${id}/consents`, callerOf(signedIn(res)), {
      body: consentsFrom(parsed.data.consents),
    });
    res.redirect(303, `/participants/${id}?consentsSaved=1`);
  });

  router.get('/participants/:participantId/export', async (req, res) => {
    const id = idOf(req);
    const answer = await deps.placements.open(
      `/participants/${id}/export`,
      callerOf(signedIn(res)),
      {
        purpose: 'data-subject-request',
      },
    );
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="participant-${id}.json"`);
    if (!answer.body) return res.end();
    await pipeline(Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream), res);
  });

  router.post('/participants/:participantId/erasure', async (req, res) => {
    const id = idOf(req);
    const user = managerOnly(res);
    const parsed = parseForm(ErasureForm, req.body, t(res));
    if (!parsed.ok) return renderParticipant(req, res, 400, { erasure: parsed.form });
    await deps.placements.send('POST', `/participants/${id}/erasure`, callerOf(user), {
      body: { mode: parsed.data.mode },
      purpose: 'data-subject-request',
    });
    res.redirect(303, `/participants/${id}?erased=1`);
  });

  router.post('/participants/:participantId/coach', async (req, res) => {
    const id = idOf(req);
    const user = managerOnly(res);
    const parsed = parseForm(CoachForm, req.body, t(res));
    if (!parsed.ok) return renderParticipant(req, res, 400, { coach: parsed.form });
    try {
      await deps.placements.send('PUT', `/participants/${id}/coach`, callerOf(user), {
        body: { coachId: parsed.data.coachId, expectedVersion: parsed.data.version },
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'CONFLICT') {
        // someone changed the participant since the page was opened: show it as it is now
        return renderParticipant(req, res, 409, {
          coach: {
            values: { coachId: parsed.data.coachId },
            errors: [{ field: 'coachId', message: t(res)('errors.changedMeanwhile') }],
          },
        });
      }
      throw error;
    }
    res.redirect(303, `/participants/${id}?coachChanged=1`);
  });

  return router;
}
