import type { Connection } from 'mongoose';

/**
 * The inbox remembers which events each consumer has already handled: one document per
 * (consumer, eventId), whose _id is that pair, so the database itself refuses a second one.
 */
export interface InboxRecord {
  _id: string;
  consumer: string;
  eventId: string;
  outcome: 'handled' | 'dead-lettered';
  at: Date;
}

export const INBOX_COLLECTION = 'inbox';
const DUPLICATE_KEY = 11000;

export const inboxId = (consumer: string, eventId: string) => `${consumer}|${eventId}`;

export interface Inbox {
  ensureIndexes(): Promise<void>;
  /** Which of these ids are already recorded. One query for a whole batch. */
  seen(ids: string[]): Promise<Set<string>>;
  /** Records many at once; ids already there are not an error. */
  record(records: InboxRecord[]): Promise<void>;
}

export function createInbox(db: Connection): Inbox {
  const collection = db.collection<InboxRecord>(INBOX_COLLECTION);
  return {
    async ensureIndexes() {
      await collection.createIndex(
        { consumer: 1, eventId: 1 },
        { unique: true, name: 'consumer_event' },
      );
    },
    async seen(ids) {
      if (ids.length === 0) return new Set();
      const found = await collection
        .find({ _id: { $in: ids } }, { projection: { _id: 1 } })
        .toArray();
      return new Set(found.map((r) => r._id));
    },
    async record(records) {
      if (records.length === 0) return;
      try {
        await collection.insertMany(records, { ordered: false });
      } catch (error) {
        const e = error as { code?: number; writeErrors?: { code?: number }[] | { code?: number } };
        const writeErrors = Array.isArray(e.writeErrors)
          ? e.writeErrors
          : e.writeErrors
            ? [e.writeErrors]
            : [];
        const onlyDuplicates =
          writeErrors.length > 0
            ? writeErrors.every((w) => w.code === DUPLICATE_KEY)
            : e.code === DUPLICATE_KEY;
        if (!onlyDuplicates) throw error;
      }
    },
  };
}
