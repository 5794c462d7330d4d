import type { Connection } from 'mongoose';

export interface Programme {
  id: string;
  name: string;
  createdAt: Date;
}

/** The programmes an organisation runs; managers and coaches belong to some of them. */
export function createProgrammeRepository(db: Connection) {
  const programmes = db.collection<{ _id: string; name: string; createdAt: Date }>('programmes');
  return {
    async list(): Promise<Programme[]> {
      const docs = await programmes.find({}).sort({ name: 1 }).limit(500).toArray();
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
    /** Idempotent by id. */
    async save(programme: Programme): Promise<void> {
      const { id, ...rest } = programme;
      await programmes.updateOne({ _id: id }, { $setOnInsert: rest }, { upsert: true });
    },
  };
}

export type ProgrammeRepository = ReturnType<typeof createProgrammeRepository>;
