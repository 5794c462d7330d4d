import { Router, type Request } from 'express';
import { callerOf, parseOrThrow, validateBody } from '@sanad/service-kit';
import type { makeChangeConsents } from '../application/change-consents';
import type { makeEditParticipant } from '../application/edit-participant';
import type { makeEraseParticipant } from '../application/erase-participant';
import type { makeExportParticipant } from '../application/export-participant';
import type { makeGetParticipant, makeListParticipants } from '../application/find-participants';
import type { ParticipantSummary } from '../application/ports';
import type { makeReassignCoach } from '../application/reassign-coach';
import type { makeRegisterParticipant } from '../application/register-participant';
import type { Participant } from '../domain/participant';
import { accessContext } from './access-context';
import {
  ChangeConsentsBody,
  EditParticipantBody,
  ErasureBody,
  ListParticipantsQuery,
  ParticipantIdParam,
  ReassignCoachBody,
  RegisterParticipantBody,
  type ParticipantSummaryView,
  type ParticipantView,
} from './participants.schemas';
import { placementView } from './placements.routes';
import { routes } from './routes';
import { idempotencyKeyOf } from './idempotency-key';

export interface ParticipantRoutesDeps {
  registerParticipant: ReturnType<typeof makeRegisterParticipant>;
  getParticipant: ReturnType<typeof makeGetParticipant>;
  editParticipant: ReturnType<typeof makeEditParticipant>;
  listParticipants: ReturnType<typeof makeListParticipants>;
  changeConsents: ReturnType<typeof makeChangeConsents>;
  reassignCoach: ReturnType<typeof makeReassignCoach>;
  exportParticipant: ReturnType<typeof makeExportParticipant>;
  eraseParticipant: ReturnType<typeof makeEraseParticipant>;
}

/** The whole record, for those who may see it (absent fields stay absent). */
const participantView = (p: Participant): ParticipantView => ({ ...p });

/** What a list shows: no names, no contact details, no disability. */
const summaryView = (p: ParticipantSummary): ParticipantSummaryView => ({
  id: p.id,
  code: p.code,
  programmeId: p.programmeId,
  coachId: p.coachId,
  status: p.status,
});

export function participantRoutes(deps: ParticipantRoutesDeps): Router {
  const router = Router();
  const participantIdOf = (req: Request) =>
    parseOrThrow(ParticipantIdParam, req.params, 'params').participantId;

  router.post(
    routes.registerParticipant.path,
    validateBody(RegisterParticipantBody),
    async (req, res) => {
      const idempotencyKey = idempotencyKeyOf(req);
      const { participant, created } = await deps.registerParticipant({
        context: accessContext(req, res),
        command: req.body as RegisterParticipantBody,
        idempotencyKey,
      });
      res
        .status(created ? 201 : 200)
        .location(`/participants/${participant.id}`)
        .json({ participant: participantView(participant) });
    },
  );

  router.get(routes.listParticipants.path, async (req, res) => {
    const query = parseOrThrow(ListParticipantsQuery, req.query, 'query');
    const found = await deps.listParticipants({ caller: callerOf(res), ...query });
    res.json({ participants: found.map(summaryView) });
  });

  router.get(routes.getParticipant.path, async (req, res) => {
    const participantId = participantIdOf(req);
    const participant = await deps.getParticipant({
      context: accessContext(req, res),
      participantId,
    });
    res.json({ participant: participantView(participant) });
  });

  router.put(routes.editParticipant.path, validateBody(EditParticipantBody), async (req, res) => {
    const participantId = participantIdOf(req);
    const { version, ...changes } = req.body as EditParticipantBody;
    const participant = await deps.editParticipant({
      context: accessContext(req, res),
      participantId,
      version,
      changes,
    });
    res.json({ participant: participantView(participant) });
  });

  router.put(routes.changeConsents.path, validateBody(ChangeConsentsBody), async (req, res) => {
    const participantId = participantIdOf(req);
    const participant = await deps.changeConsents({
      context: accessContext(req, res),
      participantId,
      changes: req.body as ChangeConsentsBody,
    });
    res.json({ participant: participantView(participant) });
  });

  router.put(routes.reassignCoach.path, validateBody(ReassignCoachBody), async (req, res) => {
    const participantId = participantIdOf(req);
    const { coachId, expectedVersion } = req.body as ReassignCoachBody;
    const { participant } = await deps.reassignCoach({
      context: accessContext(req, res),
      participantId,
      coachId,
      expectedVersion,
    });
    res.json({ participant: participantView(participant) });
  });

  router.get(routes.exportParticipant.path, async (req, res) => {
    const participantId = participantIdOf(req);
    const found = await deps.exportParticipant({
      context: accessContext(req, res),
      participantId,
    });
    res.attachment(`participant-${participantId}.json`).json({
      ...found,
      participant: participantView(found.participant),
      placements: found.placements.map(placementView),
    });
  });

  router.post(routes.eraseParticipant.path, validateBody(ErasureBody), async (req, res) => {
    const participantId = participantIdOf(req);
    const participant = await deps.eraseParticipant({
      context: accessContext(req, res),
      participantId,
      mode: (req.body as ErasureBody).mode,
    });
    res.json({ participant: participantView(participant) });
  });

  return router;
}
