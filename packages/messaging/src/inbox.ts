import type { Connection } from 'mongoose';
import { DUPLICATE_KEY } from './errors';

/**
 * The inbox: which events each consumer has taken. One document per (consumer, eventId), whose _id
 * is that pair, so the database itself refuses a second one.
 *
 * A batch claims its events with ONE insert before handling them; the duplicate-key errors of that
 * insert say which were claimed before. (A lookup with `_id: {$in: [...]}` would read the whole
 * collection on FerretDB 1.x, which pushes no such filter down; an insert checks the unique index.)
 * Only for those, rare, does the consumer read the earlier claim, by _id, to decide whether the
 * earlier handling certainly finished (see `decideDuplicate`).
 */
export interface InboxClaim {
  _id: string;
  consumer: string;
  eventId: string;
  topic: string;
  partition: number;
  /** Kafka offset of the message that made the claim, as a decimal string. */
  offset: string;
  /** The consumer run that made the claim; a new one begins at every join of the group. */
  session: string;
  at: Date;
}

export const INBOX_COLLECTION = 'inbox';

export const inboxId = (consumer: string, eventId: string) => `${consumer}|${eventId}`;

export interface Inbox {
  ensureIndexes(): Promise<void>;
  /** Inserts the claims; returns the ids that were already claimed. */
  claim(claims: InboxClaim[]): Promise<Set<string>>;
  /** The earlier claims for these ids, one point lookup each. */
  find(ids: Iterable<string>): Promise<Map<string, InboxClaim>>;
}

interface WriteErrorLike {
  code?: number;
  index?: number;
}

export function createInbox(db: Connection): Inbox {
  const collection = db.collection<InboxClaim>(INBOX_COLLECTION);
  return {
    async ensureIndexes() {
      await collection.createIndex(
        { consumer: 1, eventId: 1 },
        { unique: true, name: 'consumer_event' },
      );
    },
    async claim(claims) {
      if (claims.length === 0) return new Set();
      try {
        await collection.insertMany(claims, { ordered: false });
        return new Set();
      } catch (error) {
        const e = error as { code?: number; writeErrors?: WriteErrorLike[] | WriteErrorLike };
        const writeErrors = Array.isArray(e.writeErrors)
          ? e.writeErrors
          : e.writeErrors
            ? [e.writeErrors]
            : [];
        if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== DUPLICATE_KEY)) {
          throw error;
        }
        return new Set(
          writeErrors.map((w) => {
            const claim = claims[w.index ?? -1];
            if (!claim) throw error;
            return claim._id;
          }),
        );
      }
    },
    async find(ids) {
      const found = await Promise.all([...ids].map((id) => collection.findOne({ _id: id })));
      return new Map(found.flatMap((c) => (c ? [[c._id, c] as const] : [])));
    },
  };
}

/**
 * A message whose event was claimed before: pass it over, or handle it again?
 * - claimed by this consumer run: handled already (a duplicate delivery) -> pass over;
 * - claimed at an offset of this partition below where this run started reading: that offset was
 *   committed, and offsets are committed only after the effect -> pass over;
 * - otherwise the claim was made by a run that stopped before committing (a crash, a rebalance):
 *   whether its effect happened is unknown -> handle again; effects are idempotent.
 */
export function decideDuplicate(
  earlier: Pick<InboxClaim, 'session' | 'topic' | 'partition' | 'offset'> | undefined,
  now: { session: string; topic: string; partition: number; startOffset: string },
): 'pass-over' | 'handle-again' {
  if (!earlier) return 'handle-again';
  if (earlier.session === now.session) return 'pass-over';
  const samePartition = earlier.topic === now.topic && earlier.partition === now.partition;
  if (samePartition && BigInt(earlier.offset) < BigInt(now.startOffset)) return 'pass-over';
  return 'handle-again';
}
