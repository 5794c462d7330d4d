import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { AUDIT_COLLECTION, verifyAuditCollection } from './audit-log';

export const USAGE = `Checks a service's audit log, record by record, in seq order.

usage: audit:verify [--mongo-url URL] [--db NAME] [--collection NAME]
  --mongo-url   the MongoDB-compatible server (default: $MONGO_URL, else mongodb://127.0.0.1:27018)
  --db          the service's database (default: $MONGO_DB)
  --collection  the audit collection (default: ${AUDIT_COLLECTION})

exit status: 0 intact, 1 broken, 2 could not check (bad arguments, server unreachable)
`;

export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The `audit:verify` command, minus the process: returns the exit status. */
export async function runVerifyCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: CliOutput,
): Promise<number> {
  let values: { 'mongo-url'?: string; db?: string; collection?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'mongo-url': { type: 'string' },
        db: { type: 'string' },
        collection: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    out.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out.stdout(USAGE);
    return 0;
  }
  const url = values['mongo-url'] ?? env.MONGO_URL ?? 'mongodb://127.0.0.1:27018';
  const dbName = values.db ?? env.MONGO_DB;
  const collection = values.collection ?? AUDIT_COLLECTION;
  if (!dbName) {
    out.stderr(`no database: give --db or set MONGO_DB\n\n${USAGE}`);
    return 2;
  }

  const db = mongoose.createConnection(url, { dbName, serverSelectionTimeoutMS: 5_000 });
  try {
    await db.asPromise();
    const result = await verifyAuditCollection(db, collection);
    if (!result.ok) {
      const { seq, reason } = result.firstBroken;
      out.stdout(`audit chain broken at record seq=${seq}: ${reason}\n`);
      out.stdout(`(${result.checked} records intact before it)\n`);
      return 1;
    }
    out.stdout(`audit chain intact: ${result.checked} records\n`);
    if (result.head) out.stdout(`last record: seq=${result.head.seq} hash=${result.head.hash}\n`);
    else out.stderr(`(no audit records in ${dbName}.${collection})\n`);
    return 0;
  } catch (error) {
    out.stderr(`could not check the audit log in ${dbName}.${collection}: ${String(error)}\n`);
    return 2;
  } finally {
    await db.close().catch(() => undefined);
  }
}
