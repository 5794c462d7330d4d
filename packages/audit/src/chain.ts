import { createHash } from 'node:crypto';
import { AuditEntry, GENESIS_HASH } from './entry';

/**
 * The hash chain: each record's `hash` is the sha256 of all its other fields, `prevHash` and `seq`
 * included, and its `prevHash` is the `hash` of the record before it. Changing any field of a
 * record breaks its own hash; re-hashing it breaks the next record's `prevHash`; removing one
 * leaves a gap in `seq`. Pure functions, no I/O.
 *
 * What a chain cannot show by itself: records cut from its END. `verifyChain` returns the last
 * record's seq and hash (`head`) so that they can be compared with a copy kept somewhere else.
 */

/**
 * A stable serialisation: JSON with object keys sorted, dates as ISO strings, undefined members
 * left out. Refuses what JSON cannot say exactly (NaN, Infinity, invalid dates, functions...).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('cannot serialise an invalid date');
    return JSON.stringify(value.toISOString());
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot serialise the number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`cannot serialise a ${typeof value}`);
  }
}

/** The hash of a record: sha256 (hex) of the canonical form of every field but `hash`. */
export function hashEntry(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...body } = entry;
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/** A record with its hash: what `record` stores after `seq`, `at` and `prevHash` are decided. */
export function sealEntry(body: Omit<AuditEntry, 'hash'>): AuditEntry {
  return { ...body, hash: hashEntry(body) };
}

/**
 * Why a chain is broken at a record:
 * - `malformed`: the record is not a valid audit entry (a field missing, unknown or of the wrong kind);
 * - `missing-seq`: the record with this seq is not there (deleted), the next one came instead;
 * - `out-of-order`: this seq came again or after a later one;
 * - `prev-hash-mismatch`: its `prevHash` is not the hash of the record before it;
 * - `hash-mismatch`: its content does not hash to its `hash` (it was changed).
 */
export type ChainBreak =
  'malformed' | 'missing-seq' | 'out-of-order' | 'prev-hash-mismatch' | 'hash-mismatch';

export type VerifyResult =
  | {
      ok: true;
      /** How many records were checked: all of them. */
      checked: number;
      /** The last record, to compare with a copy kept elsewhere; null for an empty log. */
      head: { seq: number; hash: string } | null;
    }
  | {
      ok: false;
      /** How many records were found intact before the first broken one. */
      checked: number;
      firstBroken: { seq: number; reason: ChainBreak };
    };

const seqOf = (raw: unknown): number | null => {
  const seq = (raw as { seq?: unknown } | null)?.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1 ? seq : null;
};

/**
 * Checks records given in seq order, from seq 1, one at a time (an async iterable such as a
 * database cursor is read as it goes, never gathered). Stops at the first broken record.
 */
export async function verifyChain(
  entries: Iterable<unknown> | AsyncIterable<unknown>,
): Promise<VerifyResult> {
  let checked = 0;
  let previous = { seq: 0, hash: GENESIS_HASH };
  const broken = (seq: number, reason: ChainBreak): VerifyResult => ({
    ok: false,
    checked,
    firstBroken: { seq, reason },
  });

  for await (const raw of entries) {
    const expected = previous.seq + 1;
    const rawSeq = seqOf(raw);
    if (rawSeq !== null && rawSeq > expected) return broken(expected, 'missing-seq');
    if (rawSeq !== null && rawSeq < expected) return broken(rawSeq, 'out-of-order');
    const parsed = AuditEntry.safeParse(raw);
    if (!parsed.success) return broken(expected, 'malformed');
    const entry = parsed.data;
    if (entry.prevHash !== previous.hash) return broken(entry.seq, 'prev-hash-mismatch');
    if (hashEntry(entry) !== entry.hash) return broken(entry.seq, 'hash-mismatch');
    checked += 1;
    previous = { seq: entry.seq, hash: entry.hash };
  }
  return { ok: true, checked, head: checked > 0 ? previous : null };
}
