import type { Connection } from 'mongoose';
import { z } from 'zod';
import { sealEntry, verifyChain, type VerifyResult } from './chain';
import {
  AuditEntry,
  AuditInput,
  AuditInputError,
  AuditServiceName,
  fieldProblems,
  GENESIS_HASH,
  Sha256Hex,
} from './entry';

export const AUDIT_COLLECTION = 'audit_log';

/** MongoDB's (and FerretDB's) "duplicate key": the insert found its _id taken. */
const DUPLICATE_KEY = 11000;
const isDuplicateKey = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;

/** How a record is stored: its `seq` is the document's `_id`, which the database keeps unique. */
export interface AuditDocument extends Omit<AuditEntry, 'seq'> {
  _id: number;
}

export const toDocument = ({ seq, ...rest }: AuditEntry): AuditDocument => ({ _id: seq, ...rest });

/**
 * A stored document back in the shape of an entry, not yet checked. A document that also has a
 * `seq` field keeps its `_id` too, so that the strict schema refuses it as malformed.
 */
export function fromDocument(doc: Record<string, unknown>): unknown {
  const { _id, ...rest } = doc;
  return 'seq' in rest ? { ...rest, seq: _id, _id } : { seq: _id, ...rest };
}

/** A stored record that is not a valid entry (changed by hand?): run `audit:verify`. */
export class AuditLogCorruptError extends Error {
  constructor(message: string) {
    super(`${message}; run audit:verify`);
    this.name = 'AuditLogCorruptError';
  }
}

/** Other writers kept taking the next seq; nothing was stored. */
export class AuditAppendError extends Error {
  constructor(attempts: number) {
    super(`could not append to the audit log: the next seq was taken ${attempts} times in a row`);
    this.name = 'AuditAppendError';
  }
}

export const AuditListQuery = z.strictObject({
  /** Records after this seq (for paging); from the first when absent. */
  afterSeq: z.number().int().min(0).optional(),
  /** At most this many (default 100, at most 1000). */
  limit: z.number().int().min(1).max(1000).optional(),
  /** Only the records about this subject (a participant, a placement...). */
  subjectId: z.uuid().optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export interface AuditLogOptions {
  /** The service that writes: stored in every record. */
  service: string;
  collection?: string;
  clock?: () => Date;
  /** How many times to try the next seq when other writers take it first (default 50). */
  maxAttempts?: number;
}

export interface AuditLog {
  /** Appends one record and returns it; refuses (AuditInputError) an input with a wrong field. */
  record(input: AuditInput): Promise<AuditEntry>;
  /** Records in seq order. */
  list(query?: AuditListQuery): Promise<AuditEntry[]>;
  /** Checks the whole chain in seq order, streaming. */
  verify(): Promise<VerifyResult>;
  /** Every record in seq order, streaming. */
  exportAll(): AsyncIterable<AuditEntry>;
  /** The index behind `list({ subjectId })`; call once at start. */
  ensureIndexes(): Promise<void>;
}

const StoredHead = z.object({ _id: z.number().int().min(1), hash: Sha256Hex });
const BATCH_SIZE = 500;

async function* mapAsync<T, U>(source: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of source) yield map(item);
}

/**
 * Verifies the chain stored in a collection: a cursor in `_id` (= seq) order, read in batches of
 * 500, checked record by record. (On FerretDB 1.x the server sorts in memory; the client streams.)
 */
export async function verifyAuditCollection(
  db: Connection,
  collection: string = AUDIT_COLLECTION,
): Promise<VerifyResult> {
  const cursor = db
    .collection<Record<string, unknown>>(collection)
    .find({}, { sort: { _id: 1 }, batchSize: BATCH_SIZE });
  try {
    return await verifyChain(mapAsync(cursor, fromDocument));
  } finally {
    await cursor.close();
  }
}

function readStored(doc: Record<string, unknown>): AuditEntry {
  const parsed = AuditEntry.safeParse(fromDocument(doc));
  if (parsed.success) return parsed.data;
  const problems = fieldProblems(parsed.error).map((p) => `${p.path}: ${p.message}`);
  throw new AuditLogCorruptError(
    `audit record _id=${JSON.stringify(doc._id)} is malformed (${problems.join('; ')})`,
  );
}

/**
 * An append-only, hash-chained audit log in a service's own database: who read or changed whose
 * personal data, what kind of thing happened and why, in ids and fixed words only.
 *
 * Appending inserts the record with `_id` = last seq + 1 and `prevHash` = the last record's hash.
 * The database's unique `_id` decides between writers: the one that loses gets a duplicate-key
 * error, reads the new last record and tries again (with a small random pause), up to
 * `maxAttempts` times. Nothing reads and rewrites a shared counter, so it holds on FerretDB 1.x,
 * whose concurrent updates can lose writes, and it needs no transaction.
 *
 * Within one process, appends run one after the other, and the last record appended is remembered,
 * so that an append is normally one insert and no read: reads matter on FerretDB 1.x, which pushes
 * no filter on a number `_id` and no sort down to SQLite and so reads the whole collection for each.
 * Across processes, the unique `_id` does the work.
 *
 * If the last stored record is malformed, `record` fails (AuditLogCorruptError) rather than chain
 * onto it.
 */
export function createAuditLog(db: Connection, options: AuditLogOptions): AuditLog {
  const service = AuditServiceName.safeParse(options.service);
  if (!service.success)
    throw new AuditInputError(fieldProblems(service.error).map((p) => ({ ...p, path: 'service' })));
  const name = options.collection ?? AUDIT_COLLECTION;
  const clock = options.clock ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 50;
  const documents = db.collection<AuditDocument>(name);
  const raw = db.collection<Record<string, unknown>>(name);

  /** The last record as far as this process knows; undefined = read it from the database. */
  let head: { seq: number; hash: string } | undefined;
  /** Appends of this process, one after the other. */
  let queue: Promise<unknown> = Promise.resolve();

  const readHead = async (): Promise<{ seq: number; hash: string }> => {
    const [doc] = await raw
      .find({}, { sort: { _id: -1 }, limit: 1, projection: { _id: 1, hash: 1 } })
      .toArray();
    if (!doc) return { seq: 0, hash: GENESIS_HASH };
    const stored = StoredHead.safeParse(doc);
    if (!stored.success) {
      throw new AuditLogCorruptError(
        `the last audit record (_id=${JSON.stringify(doc._id)}) has no valid seq and hash`,
      );
    }
    return { seq: stored.data._id, hash: stored.data.hash };
  };

  const pause = (attempt: number) =>
    new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));

  const append = async (input: z.output<typeof AuditInput>): Promise<AuditEntry> => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const last = head ?? (await readHead());
      const checked = AuditEntry.safeParse(
        sealEntry({
          seq: last.seq + 1,
          at: clock(),
          service: service.data,
          actor: input.actor,
          action: input.action,
          subject: input.subject,
          purpose: input.purpose,
          correlationId: input.correlationId ?? null,
          prevHash: last.hash,
        }),
      );
      if (!checked.success) throw new AuditInputError(fieldProblems(checked.error));
      const entry = checked.data;
      try {
        await documents.insertOne(toDocument(entry));
        head = { seq: entry.seq, hash: entry.hash };
        return entry;
      } catch (error) {
        head = undefined;
        if (!isDuplicateKey(error)) throw error;
        await pause(attempt);
      }
    }
    throw new AuditAppendError(maxAttempts);
  };

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  async function* exportEntries(): AsyncGenerator<AuditEntry> {
    const cursor = raw.find({}, { sort: { _id: 1 }, batchSize: BATCH_SIZE });
    try {
      for await (const doc of cursor) yield readStored(doc);
    } finally {
      await cursor.close();
    }
  }

  return {
    async record(input) {
      const parsed = AuditInput.safeParse(input);
      if (!parsed.success) throw new AuditInputError(fieldProblems(parsed.error));
      return serial(() => append(parsed.data));
    },

    async list(query = {}) {
      const parsed = AuditListQuery.safeParse(query);
      if (!parsed.success) throw new AuditInputError(fieldProblems(parsed.error), 'audit query');
      const { afterSeq, limit = 100, subjectId } = parsed.data;
      const filter: Record<string, unknown> = {};
      if (afterSeq !== undefined) filter._id = { $gt: afterSeq };
      if (subjectId !== undefined) filter['subject.id'] = subjectId;
      const docs = await raw.find(filter, { sort: { _id: 1 }, limit }).toArray();
      return docs.map(readStored);
    },

    verify: () => verifyAuditCollection(db, name),

    exportAll: () => exportEntries(),

    async ensureIndexes() {
      await documents.createIndex({ 'subject.id': 1, _id: 1 }, { name: 'subject_seq' });
    },
  };
}
