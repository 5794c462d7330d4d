import { Router, type Request, type Response } from 'express';
import { DISABILITY_CATEGORIES } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import type { ServiceClient } from '../clients/service-client';
import { callerOf } from '../domain/user';
import {
  echo,
  emptyForm,
  formErrorsFromService,
  parseForm,
  type FormState,
  type Translate,
} from './forms';
import { requireRole, requireUser, signedIn } from './identity.middleware';
import { EditParticipantForm } from './participant-edit.forms';
import { ParticipantIdParam } from './participants.forms';
import { pageLocale } from './placement-forms.pages';
import { STAFF_ROLES } from './placements-pages.lookups';

interface EditableParticipant {
  id: string;
  code: string;
  status: 'active' | 'pseudonymised' | 'erased';
  fullName?: string;
  phone?: string;
  email?: string;
  preferredLanguage?: 'ar' | 'en';
  disabilityCategory?: string;
  accommodationNeeds?: string;
  consents?: Record<string, { granted: boolean }>;
  version: number;
}

/** The record's fields as the form shows them. */
const valuesOf = (p: EditableParticipant) => ({
  version: String(p.version),
  fullName: p.fullName ?? '',
  phone: p.phone ?? '',
  email: p.email ?? '',
  preferredLanguage: p.preferredLanguage ?? 'ar',
  disabilityCategory: p.disabilityCategory ?? '',
  accommodationNeeds: p.accommodationNeeds ?? '',
});

/**
 * Correcting a participant's personal details, for the staff who may see them. The placement
 * service checks who may change them, audits the change and refuses a stale version (409).
 */
export function participantEditRoutes(deps: { placements: ServiceClient }): Router {
  const router = Router();
  const t = (res: Response) => res.locals.t as Translate;
  const path = '/participants/:participantId/edit';
  const staff = [requireUser, requireRole(...STAFF_ROLES)] as const;

  const load = async (req: Request, res: Response) => {
    const parsed = ParticipantIdParam.safeParse(req.params);
    if (!parsed.success) throw AppError.notFound('participant');
    const answer = await deps.placements.get<{ participant: EditableParticipant }>(
      `/participants/${parsed.data.participantId}`,
      callerOf(signedIn(res)),
    );
    // a pseudonymised or erased record has no personal details left to correct
    if (!answer || answer.participant.status !== 'active') throw AppError.notFound('participant');
    return answer.participant;
  };

  const render = (
    res: Response,
    status: number,
    participant: EditableParticipant,
    form: FormState,
    stale = false,
  ) =>
    res.status(status).render('pages/participants/edit', {
      title: t(res)('participantEdit.title', { code: participant.code }),
      participant,
      form,
      stale,
      categories: DISABILITY_CATEGORIES,
      mayRecordCategory: participant.consents?.reportingByCategory?.granted === true,
    });

  router.get(path, ...staff, async (req, res) => {
    const participant = await load(req, res);
    render(res, 200, participant, emptyForm(valuesOf(participant)));
  });

  router.post(path, ...staff, async (req, res) => {
    const participant = await load(req, res);
    const parsed = parseForm(EditParticipantForm, req.body, t(res));
    if (!parsed.ok) return render(res, 400, participant, parsed.form);
    const granted = participant.consents?.reportingByCategory?.granted === true;
    if (parsed.data.disabilityCategory && !granted) {
      return render(res, 400, participant, {
        values: echo(req.body),
        errors: [{ field: 'disabilityCategory', message: t(res)('errors.categoryNeedsConsent') }],
      });
    }
    try {
      await deps.placements.send(
        'PUT',
        `/participants/${participant.id}`,
        callerOf(signedIn(res)),
        { language: pageLocale(res), body: parsed.data },
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
        const problems = (error.details.problems ?? []) as { path: string }[];
        return render(res, 400, participant, {
          values: echo(req.body),
          errors: formErrorsFromService(problems, t(res)),
        });
      }
      if (error instanceof AppError && error.code === 'CONFLICT') {
        // someone changed the participant since the form was opened: show the record as it is now
        const fresh = await load(req, res);
        return render(res, 409, fresh, emptyForm(valuesOf(fresh)), true);
      }
      throw error;
    }
    res.redirect(303, `/participants/${participant.id}?edited=1`); // its page's notice
  });

  return router;
}
