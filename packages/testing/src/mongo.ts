import mongoose, { type Connection } from 'mongoose';
import { servers, uniqueName } from './servers';

/** A connection to a database of its own, dropped by `close`. */
export interface TestDatabase {
  db: Connection;
  name: string;
  close(): Promise<void>;
}

export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = uniqueName(prefix).replace(/-/g, '_');
  const db = mongoose.createConnection(servers.mongoUrl, {
    dbName: name,
    serverSelectionTimeoutMS: 5_000,
  });
  await db.asPromise();
  return {
    db,
    name,
    async close() {
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
