import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { Id } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import type { ServiceClient } from '../clients/service-client';
import { callerOf, type User } from '../domain/user';
import type { ProgrammeRepository } from '../persistence/programmes.repository';
import type { UserRepository } from '../persistence/users.repository';
import {
  echo,
  emptyForm,
  errorsOfService,
  formErrors,
  parseForm,
  type FormState,
  type Translate,
} from './forms';
import { requireRole, requireUser, signedIn } from './identity.middleware';
import { ParticipantIdParam } from './participants.forms';
import {
  ACCOMMODATION_CODES,
  listQuery,
  noticeQuery,
  PLACEMENT_STATUSES,
  PlacementFilters,
  PlacementIdParam,
  PlacementNotice,
  PLACEMENTS_PAGE_SIZE,
  recordFieldOf,
  RecordPlacementForm,
  recordPlacementBody,
  WAGE_PERIODS,
  type EmployerLinkAnswer,
} from './placements-pages.forms';
import {
  employersFor,
  isStaff,
  participantCodes,
  programmesAndCoaches,
  shortId,
  STAFF_ROLES,
  type EmployerView,
  type PlacementView,
} from './placements-pages.lookups';
import { followUpSection } from './follow-ups.view';
import { pageLocale } from './placement-forms.pages';
import { isolated } from './views';

/** The list's filter fields, in the form's order (a coach or an employer user sees the last ones). */
const FILTER_FIELDS = ['coachId', 'employerId', 'programmeId', 'status', 'startFrom', 'startTo'];

interface ParticipantRecord {
  id: string;
  code: string;
  status: string;
  programmeId: string;
  coachId: string;
}

/**
 * Placements for staff and employer users: the list with its filters and pages, one placement with
 * what can be done next, and recording one from a participant's page. The placement service
 * decides what each caller sees (a coach their caseload, an employer user their organisation);
 * these pages only ask it, as the signed-in user.
 */
export function placementPageRoutes(deps: {
  placements: ServiceClient;
  users: UserRepository;
  programmes: ProgrammeRepository;
  /** The check-in service: the staff see a placement's follow-ups on its page. */
  checkins?: ServiceClient;
}): Router {
  const router = Router();
  const client = deps.placements;
  const t = (res: Response) => res.locals.t as Translate;
  router.use('/placements', requireUser);
  const staffOnly = requireRole(...STAFF_ROLES);

  const placementIdOf = (req: Request) => {
    const parsed = PlacementIdParam.safeParse(req.params);
    if (!parsed.success) throw AppError.notFound('placement');
    return parsed.data.placementId;
  };
  const participantIdOf = (req: Request) => {
    const parsed = ParticipantIdParam.safeParse(req.params);
    if (!parsed.success) throw AppError.notFound('participant');
    return parsed.data.participantId;
  };

  // ---------- the list ----------

  router.get('/placements', async (req, res) => {
    const user = signedIn(res);
    const caller = callerOf(user);
    const parsed = PlacementFilters.safeParse(req.query);
    const filters = parsed.success ? parsed.data : {};
    const [{ programmes, coaches }, employers] = await Promise.all([
      programmesAndCoaches(user, deps),
      isStaff(user) ? employersFor(client, caller) : Promise.resolve([]),
    ]);
    let placements: PlacementView[] = [];
    let nextCursor: string | null = null;
    let refused: { path: string; message?: unknown }[] = [];
    if (parsed.success) {
      const query = listQuery(filters, parsed.data.cursor);
      try {
        const answer = await client.get<{
          placements: PlacementView[];
          nextCursor?: string | null;
        }>(`/placements?limit=${PLACEMENTS_PAGE_SIZE}${query ? `&${query}` : ''}`, caller);
        placements = answer?.placements ?? [];
        nextCursor = answer?.nextCursor ?? null;
      } catch (error) {
        // a page link the service no longer takes (an old cursor): the filters say what to fix
        if (!(error instanceof AppError && error.code === 'VALIDATION_FAILED')) throw error;
        refused = (error.details.problems ?? []) as { path: string; message?: unknown }[];
      }
    }
    const codes = placements.length
      ? await participantCodes(client, user, caller, filters.coachId)
      : new Map<string, string>();
    const employerNames = new Map(employers.map((e) => [e.id, e.name]));
    if (!isStaff(user)) {
      // an employer user sees their own organisation only: its name comes with its record
      for (const id of new Set(placements.map((p) => p.employerId))) {
        const own = await client.get<{ employer: EmployerView }>(`/employers/${id}`, caller);
        if (own) employerNames.set(id, own.employer.name);
      }
    }
    // a refused cursor (or anything that is no filter) lands on the first filter the page shows
    const shown = FILTER_FIELDS.slice(isStaff(user) ? 0 : 3);
    const errors = parsed.success
      ? errorsOfService(refused, {
          fieldOf: (path) => {
            const field = path.replace(/^query\./, '').split('.')[0] ?? '';
            return shown.includes(field) ? field : (shown[0] as string);
          },
          fallback: () => t(res)('errors.format'),
          locale: pageLocale(res),
        })
      : formErrors(parsed.error, t(res));
    res.status(errors.length ? 400 : 200).render('pages/placements/list', {
      title: t(res)('placements.list.title'),
      form: { values: parsed.success ? filters : req.query, errors },
      rows: placements.map((p) => ({
        ...p,
        participantLabel: codes.get(p.participantId) ?? shortId(p.participantId),
        employerName: employerNames.get(p.employerId) ?? shortId(p.employerId),
      })),
      staff: isStaff(user),
      programmes,
      coaches,
      employers,
      statuses: PLACEMENT_STATUSES,
      nextHref: nextCursor ? `/placements?${listQuery(filters, nextCursor)}` : null,
      firstHref: parsed.success && parsed.data.cursor ? `/placements?${listQuery(filters)}` : null,
    });
  });

  // ---------- one placement ----------

  const renderPlacement = async (
    req: Request,
    res: Response,
    status: number,
    problem?: 'ended',
  ) => {
    const user = signedIn(res);
    const caller = callerOf(user);
    const answer = await client.get<{ placement: PlacementView }>(
      `/placements/${placementIdOf(req)}`,
      caller,
    );
    if (!answer) throw AppError.notFound('placement');
    const { placement } = answer;
    const [employerAnswer, codes, coach, programmes, followUp] = await Promise.all([
      client.get<{ employer: EmployerView }>(`/employers/${placement.employerId}`, caller),
      participantCodes(client, user, caller, placement.coachId),
      isStaff(user) ? deps.users.findById(placement.coachId) : Promise.resolve(null),
      isStaff(user) ? deps.programmes.list() : Promise.resolve([]),
      isStaff(user) && deps.checkins
        ? followUpSection(deps.checkins, caller, placement.id, t(res))
        : Promise.resolve(null),
    ]);
    const employer = employerAnswer?.employer ?? null;
    const contactName = (id?: string | null) =>
      id ? (employer?.contacts.find((c) => c.id === id)?.fullName ?? shortId(id)) : null;
    const notice = PlacementNotice.parse(req.query);
    res.status(status).render('pages/placements/show', {
      title: t(res)('placements.show.title', { jobTitle: isolated(placement.jobTitle) }),
      placement,
      participantLabel: codes.get(placement.participantId) ?? shortId(placement.participantId),
      employerName: employer?.name ?? shortId(placement.employerId),
      supervisorName: contactName(placement.supervisorId),
      coachName: coach?.displayName,
      programmeName: programmes.find((p) => p.id === placement.programmeId)?.name,
      notice: notice.notice,
      noticeContact: contactName(notice.contactId),
      noticeUntil: notice.until,
      noticeReason: notice.reason ?? 'no-contact',
      problem,
      staff: isStaff(user),
      // what can be done next (the forms are on their own pages; the service checks again)
      mayConfirm: placement.status === 'recorded',
      mayChange: placement.status !== 'ended',
      mayResend: isStaff(user) && placement.status !== 'ended',
      followUp,
      checkinRecorded: req.query.checkin === 'recorded',
    });
  };

  router.get('/placements/:placementId', (req, res) => renderPlacement(req, res, 200));

  router.post(
    '/placements/:placementId/employer-link',
    requireUser,
    staffOnly,
    async (req, res) => {
      const id = placementIdOf(req);
      let link: EmployerLinkAnswer;
      try {
        ({ employerLink: link } = await client.send<{ employerLink: EmployerLinkAnswer }>(
          'POST',
          `/placements/${id}/employer-link`,
          callerOf(signedIn(res)),
          { language: pageLocale(res) },
        ));
      } catch (error) {
        // the placement ended since the page was opened: there is nothing to send any more
        if (error instanceof AppError && error.code === 'CONFLICT') {
          return renderPlacement(req, res, 409, 'ended');
        }
        throw error;
      }
      res.redirect(303, `/placements/${id}?${noticeQuery('resent', link)}`);
    },
  );

  // ---------- recording a placement (from the participant's page) ----------

  const participantOf = async (user: User, id: string) => {
    const answer = await client.get<{ participant: ParticipantRecord }>(
      `/participants/${id}`,
      callerOf(user),
    );
    if (!answer || answer.participant.status === 'erased') throw AppError.notFound('participant');
    return answer.participant;
  };

  /**
   * The record form comes in two steps, so that it works without JavaScript: first the employer
   * (a GET form), then the placement with that employer's supervisors to choose from.
   */
  const renderRecord = async (
    res: Response,
    status: number,
    participant: ParticipantRecord,
    form: FormState,
  ) => {
    const user = signedIn(res);
    const caller = callerOf(user);
    const employerId = String(form.values.employerId ?? '');
    const [employers, chosen, coach, programmes] = await Promise.all([
      employersFor(client, caller),
      Id.safeParse(employerId).success
        ? client.get<{ employer: EmployerView }>(`/employers/${employerId}`, caller)
        : Promise.resolve(null),
      deps.users.findById(participant.coachId),
      deps.programmes.list(),
    ]);
    const employer = chosen?.employer ?? null;
    // step 1 asked for an employer that is no id, or none the caller may choose: choose again
    const chooseAgain = employerId !== '' && !employer && form.errors.length === 0;
    const shown: FormState = chooseAgain
      ? {
          ...form,
          errors: [{ field: 'employerId', message: t(res)('placements.errors.chooseEmployer') }],
        }
      : form;
    res.status(chooseAgain ? 400 : status).render('pages/placements/new', {
      title: t(res)('placements.new.title', { code: participant.code }),
      participant,
      form: shown,
      step: employer || form.errors.length ? 'placement' : 'employer',
      employers,
      employer,
      supervisors: employer?.contacts.filter((c) => c.role === 'supervisor') ?? [],
      coachName: coach?.displayName,
      programmeName: programmes.find((p) => p.id === participant.programmeId)?.name,
      accommodationCodes: ACCOMMODATION_CODES,
      wagePeriods: WAGE_PERIODS,
    });
  };

  router.get(
    '/participants/:participantId/placements/new',
    requireUser,
    staffOnly,
    async (req, res) => {
      const participant = await participantOf(signedIn(res), participantIdOf(req));
      const employerId = typeof req.query.employerId === 'string' ? req.query.employerId : '';
      await renderRecord(
        res,
        200,
        participant,
        emptyForm({
          employerId,
          idempotencyKey: randomUUID(), // one form, one placement: a double submit is a replay
          wageCurrency: 'OMR',
          wagePeriod: 'month',
          accommodations: [],
        }),
      );
    },
  );

  router.post(
    '/participants/:participantId/placements/new',
    requireUser,
    staffOnly,
    async (req, res) => {
      const user = signedIn(res);
      const participant = await participantOf(user, participantIdOf(req));
      const body = req.body as Record<string, unknown>;
      const parsed = parseForm(RecordPlacementForm, body, t(res));
      if (!parsed.ok) return renderRecord(res, 400, participant, parsed.form);
      let answer: { placement: PlacementView; employerLink?: EmployerLinkAnswer };
      try {
        answer = await client.send('POST', '/placements', callerOf(user), {
          language: pageLocale(res),
          body: recordPlacementBody(parsed.data, participant),
          idempotencyKey: parsed.data.idempotencyKey,
        });
      } catch (error) {
        if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
          // what our form let through and the service did not (the start date's window, an
          // employer or supervisor that is gone): shown on the fields, nothing stored
          const problems = (error.details.problems ?? []) as { path: string; message?: unknown }[];
          return renderRecord(res, 400, participant, {
            values: echo(body),
            errors: errorsOfService(problems, {
              fieldOf: recordFieldOf,
              fallback: () => t(res)('errors.format'),
              locale: pageLocale(res),
            }),
          });
        }
        throw error;
      }
      res.redirect(
        303,
        `/placements/${answer.placement.id}?${noticeQuery('recorded', answer.employerLink)}`,
      );
    },
  );

  return router;
}
