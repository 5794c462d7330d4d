import { randomUUID } from 'node:crypto';
import { mayRegisterParticipant, maySeeParticipant } from '@sanad/auth';
import { deterministicUuid } from '@sanad/contracts';
import { AppError } from '@sanad/errors';
import {
  registerParticipant,
  sameRegistration,
  type Participant,
  type RegisterParticipant,
} from '../domain/participant';
import type { AccessContext, AuditTrail, Clock, CodeSource, ParticipantRepository } from './ports';

export interface RegisterParticipantDeps {
  participants: ParticipantRepository;
  audit: AuditTrail;
  clock: Clock;
  newCode: CodeSource;
}

export interface RegisterParticipantRequest {
  context: AccessContext;
  command: RegisterParticipant;
  /** Same caller, same key, same participant: a double click or a retry registers one person. */
  idempotencyKey?: string;
}

/** Keys belong to the caller who sent them, as for placements. */
export const participantIdFor = (userId: string, idempotencyKey: string): string =>
  deterministicUuid(`participant:${userId}:${idempotencyKey}`);

/** Draws another code this many times when a new one is taken (about 1 in 700 million each). */
const CODE_ATTEMPTS = 5;

/** A coach, manager or admin registers a participant; the audit log records it first. */
export function makeRegisterParticipant({
  participants,
  audit,
  clock,
  newCode,
}: RegisterParticipantDeps) {
  return async ({
    context,
    command,
    idempotencyKey,
  }: RegisterParticipantRequest): Promise<{ participant: Participant; created: boolean }> => {
    const { caller } = context;
    if (!mayRegisterParticipant(caller, command)) {
      throw new AppError(
        'FORBIDDEN',
        caller.role === 'employer-user'
          ? 'employer users do not register participants'
          : 'you may register participants only in your own programmes or caseload',
      );
    }
    const id = idempotencyKey ? participantIdFor(caller.userId, idempotencyKey) : randomUUID();
    const build = () =>
      registerParticipant(command, { id, code: newCode(), by: caller.userId, now: clock.now() });
    build(); // refuses a bad command before anything is recorded
    await audit.record(context, 'create', { type: 'participant', id });
    for (let attempt = 1; attempt <= CODE_ATTEMPTS; attempt++) {
      const participant = build();
      const outcome = await participants.insert(participant);
      if (outcome === 'inserted') return { participant, created: true };
      if (outcome === 'exists') {
        const existing = await participants.findById(id);
        // The key is the caller's own, so this is their participant; checked all the same.
        if (!existing || !maySeeParticipant(caller, existing)) {
          throw AppError.notFound('participant');
        }
        if (sameRegistration(existing, command)) return { participant: existing, created: false };
        throw AppError.conflict(
          'this Idempotency-Key was already used for a different participant',
        );
      }
    }
    throw new Error(`no free participant code after ${CODE_ATTEMPTS} attempts`);
  };
}
