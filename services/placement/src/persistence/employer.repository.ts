import type { Connection } from 'mongoose';
import { AppError } from '@sanad/errors';
import { isDuplicateKeyError, type WriteLocks } from '@sanad/messaging';
import type { EmployerRepository, EmployerSummary } from '../application/employer-ports';
import type { Employer } from '../domain/employer';
import { EMPLOYERS_COLLECTION, employerModel, type EmployerDocument } from './employer.model';

const nameKeyOf = (name: string) => name.toLocaleLowerCase('en');

/** `q` as a regular expression that matches it literally. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function toEmployer(doc: EmployerDocument): Employer {
  return {
    id: doc._id,
    name: doc.name,
    sector: doc.sector,
    region: doc.region,
    contacts: doc.contacts.map((c) => ({
      id: c.id,
      role: c.role,
      fullName: c.fullName,
      email: c.email,
      phone: c.phone,
      preferredLanguage: c.preferredLanguage,
    })),
    version: doc.version,
    createdAt: new Date(doc.createdAt).toISOString(),
    updatedAt: new Date(doc.updatedAt).toISOString(),
  };
}

function toDocument(e: Employer): EmployerDocument {
  return {
    _id: e.id,
    name: e.name,
    nameKey: nameKeyOf(e.name),
    sector: e.sector,
    region: e.region,
    contacts: e.contacts.map((c) => ({ ...c })),
    version: e.version,
    createdAt: new Date(e.createdAt),
    updatedAt: new Date(e.updatedAt),
  };
}

export interface EmployerStore extends EmployerRepository {
  /** The index lists sort by; call once at start. */
  ensureIndexes(): Promise<void>;
}

/**
 * Employers in their own collection. An update is conditional on the version the change was
 * decided on, and runs under the employer's write lock (FerretDB can apply two conditional updates
 * of one document both, see createWriteLocks).
 */
export function createEmployerRepository(db: Connection, locks: WriteLocks): EmployerStore {
  const model = employerModel(db);
  const employers = model.collection;
  const findDoc = (id: string) => employers.findOne<EmployerDocument>({ _id: id as never });

  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async insert(employer) {
      try {
        await employers.insertOne(toDocument(employer) as never);
        return 'inserted';
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        return 'exists';
      }
    },
    async findById(id) {
      const doc = await findDoc(id);
      return doc ? toEmployer(doc) : null;
    },
    async list({ visible, sector, region, q, limit }) {
      const conditions: Record<string, unknown>[] = [];
      if (visible.kind === 'only') {
        if (visible.employerIds.length === 0) return [];
        conditions.push({ _id: { $in: visible.employerIds } });
      }
      if (sector) conditions.push({ sector });
      if (region) conditions.push({ region });
      if (q) conditions.push({ nameKey: { $regex: literal(nameKeyOf(q)) } });
      const filter = conditions.length <= 1 ? (conditions[0] ?? {}) : { $and: conditions };
      const docs = await employers
        .find<Pick<EmployerDocument, '_id' | 'name' | 'sector' | 'region'>>(filter, {
          projection: { _id: 1, name: 1, sector: 1, region: 1 },
        })
        .sort({ nameKey: 1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d): EmployerSummary => ({
        id: d._id,
        name: d.name,
        sector: d.sector,
        region: d.region,
      }));
    },
    update(employer, expectedVersion) {
      return locks.run(EMPLOYERS_COLLECTION, employer.id, async () => {
        const { _id, ...fields } = toDocument(employer);
        const result = await employers.updateOne(
          { _id: _id as never, version: expectedVersion },
          { $set: fields },
        );
        if (result.matchedCount === 1) return employer;
        if (!(await findDoc(employer.id))) return null;
        throw new AppError('STALE_VERSION', 'the employer changed meanwhile: reload and try again');
      });
    },
  };
}
