import type { Connection } from 'mongoose';
import { checkLink, hashSecret, type LinkPurpose, type LinkRecord, type LinkRefusal } from './link';

const DUPLICATE_KEY = 11000;

interface LinkDocument extends Omit<LinkRecord, 'hash'> {
  _id: string;
}

interface UseDocument {
  /** `<hash>:<n>`: the n-th use of a link. The unique _id makes each use happen once. */
  _id: string;
  hash: string;
  usedAt: Date;
}

export type UseResult =
  { ok: true; record: LinkRecord; use: number } | { ok: false; refusal: LinkRefusal };

/**
 * Links and their uses. A use is an insert of `<hash>:<n>` for the first free n up to maxUses: the
 * database's unique _id decides between two concurrent uses, so a single-use link works once even
 * on a server whose updates are not atomic under concurrency (FerretDB 1.x), across processes.
 */
export function createLinkRepository(db: Connection) {
  const links = db.collection<LinkDocument>('signed_links');
  const uses = db.collection<UseDocument>('signed_link_uses');

  const toRecord = ({ _id, ...rest }: LinkDocument): LinkRecord => ({ hash: _id, ...rest });
  const find = async (hash: string) => {
    const doc = await links.findOne({ _id: hash });
    return doc ? toRecord(doc) : null;
  };

  return {
    /** A placement's links are revoked together (a resend): found by placement and purpose. */
    async ensureIndexes(): Promise<void> {
      await links.createIndex({ placementId: 1, purpose: 1 });
    },

    async save(record: LinkRecord): Promise<void> {
      const { hash, ...rest } = record;
      await links.insertOne({ _id: hash, ...rest });
    },

    /** Checks the link and records one use; refuses once its uses are spent. */
    async use(secret: string, purpose: LinkPurpose, now: Date): Promise<UseResult> {
      const checked = checkLink(await find(hashSecret(secret)), purpose, now);
      if (!checked.ok) return checked;
      const { record } = checked;
      for (let n = 1; n <= record.maxUses; n++) {
        try {
          await uses.insertOne({ _id: `${record.hash}:${n}`, hash: record.hash, usedAt: now });
          return { ok: true, record, use: n };
        } catch (error) {
          if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        }
      }
      return { ok: false, refusal: 'used-up' };
    },

    /** The stored link a secret stands for, whatever its purpose and state (null if none). */
    find: (secret: string) => find(hashSecret(secret)),

    /** Checks a link without using it (to show a form before it is submitted). */
    async peek(secret: string, purpose: LinkPurpose, now: Date) {
      const hash = hashSecret(secret);
      const checked = checkLink(await find(hash), purpose, now);
      if (!checked.ok) return checked;
      const used = await uses.countDocuments({ hash });
      return used >= checked.record.maxUses
        ? { ok: false as const, refusal: 'used-up' as const }
        : checked;
    },

    /**
     * Revokes every live link of a placement for a purpose (but `except`, the hash of the one
     * just sent): a resend makes the old links useless.
     */
    async revokeAll(
      placementId: string,
      purpose: LinkPurpose,
      now: Date,
      except?: string,
    ): Promise<number> {
      const result = await links.updateMany(
        { placementId, purpose, revokedAt: null, ...(except ? { _id: { $ne: except } } : {}) },
        { $set: { revokedAt: now } },
      );
      return result.modifiedCount;
    },
  };
}

export type LinkRepository = ReturnType<typeof createLinkRepository>;
