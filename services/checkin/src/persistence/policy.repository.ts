import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '@sanad/messaging';
import type { PolicyRepository, StoredPolicy } from '../application/ports';
import { DEFAULT_POLICY, type FollowUpPolicy } from '../domain/follow-up-policy';

interface PolicyDocument {
  _id: string;
  version: number;
  policy: FollowUpPolicy;
  updatedAt: Date;
  updatedBy: string;
}

const toStored = (doc: PolicyDocument): StoredPolicy => ({
  programmeId: doc._id,
  version: doc.version,
  policy: doc.policy,
  updatedAt: new Date(doc.updatedAt).toISOString(),
  updatedBy: doc.updatedBy,
});

/** One document per programme that changed its policy; the others follow the default (version 0). */
export function createPolicyRepository(db: Connection): PolicyRepository {
  const policies = db.collection<PolicyDocument>('follow_up_policies');
  return {
    async get(programmeId) {
      const doc = programmeId ? await policies.findOne({ _id: programmeId }) : null;
      return doc
        ? toStored(doc)
        : {
            programmeId: programmeId ?? '',
            version: 0,
            policy: DEFAULT_POLICY,
            updatedAt: null,
            updatedBy: null,
          };
    },
    async save(programmeId, policy, version, by, now) {
      const doc: PolicyDocument = {
        _id: programmeId,
        version: version + 1,
        policy,
        updatedAt: now,
        updatedBy: by,
      };
      if (version === 0) {
        try {
          await policies.insertOne(doc);
          return toStored(doc);
        } catch (error) {
          if (isDuplicateKeyError(error)) return 'stale';
          throw error;
        }
      }
      const result = await policies.updateOne(
        { _id: programmeId, version },
        { $set: { version: version + 1, policy, updatedAt: now, updatedBy: by } },
      );
      return result.modifiedCount === 1 ? toStored(doc) : 'stale';
    },
  };
}
