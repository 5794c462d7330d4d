import type { Connection } from 'mongoose';
import {
  isDuplicateKeyError,
  toOutboxEntries,
  type OutboxEntry,
  type WriteLocks,
} from '@sanad/messaging';
import { AppError } from '@sanad/errors';
import {
  ParticipantCodeTaken,
  type ParticipantRepository,
  type ParticipantSummary,
} from '../application/ports';
import type { Consents, Participant } from '../domain/participant';
import {
  participantModel,
  PARTICIPANTS_COLLECTION,
  type ParticipantDocument,
} from './participant.model';

const iso = (date: Date | undefined) => (date ? new Date(date).toISOString() : undefined);
const date = (text: string | undefined) => (text ? new Date(text) : undefined);

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function toParticipant(doc: ParticipantDocument): Participant {
  return compact({
    id: doc._id,
    code: doc.code,
    status: doc.status,
    programmeId: doc.programmeId,
    coachId: doc.coachId,
    fullName: doc.fullName,
    phone: doc.phone,
    email: doc.email,
    preferredLanguage: doc.preferredLanguage,
    disabilityCategory: doc.disabilityCategory,
    accommodationNeeds: doc.accommodationNeeds,
    consents: doc.consents
      ? (Object.fromEntries(
          Object.entries(doc.consents).map(([purpose, c]) => [
            purpose,
            { granted: c.granted, changedAt: iso(c.changedAt) as string, changedBy: c.changedBy },
          ]),
        ) as Consents)
      : undefined,
    version: doc.version,
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
    pseudonymisedAt: iso(doc.pseudonymisedAt),
    erasedAt: iso(doc.erasedAt),
  });
}

function toDocument(p: Participant, outbox: OutboxEntry[]): ParticipantDocument {
  return compact({
    _id: p.id,
    code: p.code,
    status: p.status,
    programmeId: p.programmeId,
    coachId: p.coachId,
    fullName: p.fullName,
    phone: p.phone,
    email: p.email,
    preferredLanguage: p.preferredLanguage,
    disabilityCategory: p.disabilityCategory,
    accommodationNeeds: p.accommodationNeeds,
    consents: p.consents
      ? (Object.fromEntries(
          Object.entries(p.consents).map(([purpose, c]) => [
            purpose,
            { granted: c.granted, changedAt: new Date(c.changedAt), changedBy: c.changedBy },
          ]),
        ) as ParticipantDocument['consents'])
      : undefined,
    version: p.version,
    createdAt: date(p.createdAt),
    updatedAt: date(p.updatedAt),
    pseudonymisedAt: date(p.pseudonymisedAt),
    erasedAt: date(p.erasedAt),
    outbox,
  });
}

export interface ParticipantStore extends ParticipantRepository {
  /** The unique index on `code` and the list indexes; call once at start. */
  ensureIndexes(): Promise<void>;
}

/**
 * Participants in their own collection. Every write of an existing participant runs under its
 * write lock (shared with the relay of their outbox, which removes what it moved), and replaces
 * the whole document: fields the domain dropped are gone from the database, not blanked.
 */
export function createParticipantRepository(db: Connection, locks: WriteLocks): ParticipantStore {
  const model = participantModel(db);
  const participants = model.collection;
  const locked = <T>(id: string, work: () => Promise<T>) =>
    locks.run(PARTICIPANTS_COLLECTION, id, work);
  const findDoc = (id: string) => participants.findOne<ParticipantDocument>({ _id: id as never });

  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async insert(participant) {
      try {
        await participants.insertOne(toDocument(participant, []) as never);
        return 'inserted';
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        return (await findDoc(participant.id)) ? 'exists' : 'code-taken';
      }
    },
    async findById(id) {
      const doc = await participants.findOne<ParticipantDocument>(
        { _id: id as never },
        { projection: { outbox: 0 } },
      );
      return doc ? toParticipant(doc) : null;
    },
    async list({ visible, status, programmeId, coachId, limit }) {
      if (visible.kind === 'none') return [];
      const conditions: Record<string, unknown>[] = [];
      if (visible.kind === 'match') conditions.push({ [visible.field]: { $in: visible.anyOf } });
      if (status) conditions.push({ status });
      if (programmeId) conditions.push({ programmeId });
      if (coachId) conditions.push({ coachId });
      const filter = conditions.length <= 1 ? (conditions[0] ?? {}) : { $and: conditions };
      const docs = await participants
        .find<Pick<ParticipantDocument, '_id' | 'code' | 'programmeId' | 'coachId' | 'status'>>(
          filter,
          { projection: { _id: 1, code: 1, programmeId: 1, coachId: 1, status: 1 } },
        )
        .sort({ createdAt: -1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d): ParticipantSummary => ({
        id: d._id,
        code: d.code,
        programmeId: d.programmeId,
        coachId: d.coachId,
        status: d.status,
      }));
    },
    update(id, decide) {
      return locked(id, async () => {
        const doc = await findDoc(id);
        if (!doc) return null;
        const current = toParticipant(doc);
        const change = await decide(
          current,
          (doc.outbox ?? []).map((entry) => entry.event),
        );
        if (!change) return current;
        const outbox = [...(doc.outbox ?? []), ...toOutboxEntries(change.events)];
        try {
          const result = await participants.replaceOne(
            { _id: id as never, version: current.version },
            toDocument(change.participant, outbox) as never,
          );
          if (result.matchedCount !== 1) {
            throw new AppError('STALE_VERSION', 'the participant changed meanwhile; try again');
          }
        } catch (error) {
          if (isDuplicateKeyError(error)) throw new ParticipantCodeTaken();
          throw error;
        }
        return change.participant;
      });
    },
    exclusive: (id, work) => locked(id, work),
  };
}
