import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { createTestDatabase, servers, type TestDatabase } from '@sanad/testing';
import {
  AuditInputError,
  createAuditLog,
  hashEntry,
  sealEntry,
  toDocument,
  type AuditEntry,
  type AuditInput,
} from '../src';

const input = (overrides: Partial<AuditInput> = {}): AuditInput => ({
  actor: { userId: randomUUID(), role: 'coach' },
  action: 'read',
  subject: { type: 'participant', id: randomUUID() },
  purpose: 'follow-up',
  correlationId: randomUUID(),
  ...overrides,
});

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Runs the audit:verify command from its source, as its own process. */
function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = path.join(__dirname, '..', 'src', 'cli.ts');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [require.resolve('tsx/cli'), cli, ...args],
      { env: { ...process.env, MONGO_URL: '', MONGO_DB: '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('the audit log on the real MongoDB-compatible server', () => {
  let database: TestDatabase;
  let other: Connection | undefined;
  beforeEach(async () => {
    database = await createTestDatabase('audit');
  });
  afterEach(async () => {
    await other?.close();
    other = undefined;
    await database.close();
  });

  const audit = () => database.db.collection('audit_log');
  const fill = async (n: number) => {
    const log = createAuditLog(database.db, { service: 'placement' });
    for (let i = 0; i < n; i++) await log.record(input());
    return log;
  };

  it('gives 200 concurrent records from two processes seqs 1..200 in one intact chain', async () => {
    other = await mongoose
      .createConnection(servers.mongoUrl, {
        dbName: database.name,
        serverSelectionTimeoutMS: 5_000,
      })
      .asPromise();
    const first = createAuditLog(database.db, { service: 'placement' });
    const second = createAuditLog(other, { service: 'placement' });

    const entries = await Promise.all(
      range(1, 200).map((i) => (i % 2 ? first : second).record(input())),
    );

    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(range(1, 200));
    expect(await audit().countDocuments()).toBe(200);
    const last = entries.find((e) => e.seq === 200)!;
    expect(await first.verify()).toEqual({
      ok: true,
      checked: 200,
      head: { seq: 200, hash: last.hash },
    });
    expect(await second.verify()).toMatchObject({ ok: true, checked: 200 });

    const exported: AuditEntry[] = [];
    for await (const entry of second.exportAll()) exported.push(entry);
    expect(exported.map((e) => e.seq)).toEqual(range(1, 200));
    exported.slice(1).forEach((e, i) => expect(e.prevHash).toBe(exported[i]!.hash));
    // what record() returned is what was stored
    const bySeq = new Map(entries.map((e) => [e.seq, e]));
    exported.forEach((e) => expect(e).toEqual(bySeq.get(e.seq)));
  });

  it('continues the chain from another instance and lists by subject and page', async () => {
    const participantId = randomUUID();
    const subject = { type: 'participant' as const, id: participantId };
    const log = createAuditLog(database.db, { service: 'placement' });
    await log.ensureIndexes();
    await log.ensureIndexes();
    await log.record(input({ subject }));
    await log.record(input());
    const third = await log.record(input({ subject, action: 'update', purpose: 'support' }));

    const later = createAuditLog(database.db, { service: 'checkin' });
    const fourth = await later.record(input({ subject, actor: { userId: null, role: 'system' } }));
    expect(fourth).toMatchObject({ seq: 4, prevHash: third.hash, service: 'checkin' });
    expect(fourth.hash).toBe(hashEntry(fourth));

    expect((await log.list({ subjectId: participantId })).map((e) => e.seq)).toEqual([1, 3, 4]);
    expect((await log.list({ afterSeq: 1, limit: 2 })).map((e) => e.seq)).toEqual([2, 3]);
    expect(await log.verify()).toMatchObject({ ok: true, checked: 4 });
  });

  it('detects a record changed in the database, and so does the audit:verify command', async () => {
    const log = await fill(12);
    const env = { MONGO_URL: servers.mongoUrl, MONGO_DB: database.name };

    const intact = await runCli([], env);
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.stdout).toContain('audit chain intact: 12 records');

    await audit().updateOne({ _id: 7 as never }, { $set: { purpose: 'reporting' } });
    expect(await log.verify()).toEqual({
      ok: false,
      checked: 6,
      firstBroken: { seq: 7, reason: 'hash-mismatch' },
    });
    const broken = await runCli(['--mongo-url', servers.mongoUrl, '--db', database.name]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('audit chain broken at record seq=7: hash-mismatch');
  });

  it('detects a changed record that was re-hashed at the next record', async () => {
    const log = await fill(6);
    const stored = (await log.list()).find((e) => e.seq === 3)!;
    const forged = sealEntry({ ...stored, actor: { userId: randomUUID(), role: 'admin' } });
    await audit().replaceOne({ _id: 3 as never }, toDocument(forged));
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 4, reason: 'prev-hash-mismatch' },
    });
  });

  it('names a deleted middle record', async () => {
    const log = await fill(10);
    await audit().deleteOne({ _id: 5 as never });
    expect(await log.verify()).toEqual({
      ok: false,
      checked: 4,
      firstBroken: { seq: 5, reason: 'missing-seq' },
    });
    const broken = await runCli(['--mongo-url', servers.mongoUrl, '--db', database.name]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('audit chain broken at record seq=5: missing-seq');
  });

  it('calls a record with a field added in the database malformed', async () => {
    const log = await fill(4);
    await audit().updateOne({ _id: 2 as never }, { $set: { participantName: 'Fatima' } });
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'malformed' },
    });
  });

  it('refuses personal data and stores nothing', async () => {
    const log = createAuditLog(database.db, { service: 'placement' });
    const withName = { ...input(), participantName: 'Fatima Al-Balushi' } as AuditInput;
    const error = await log.record(withName).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditInputError);
    expect((error as Error).message).toContain('participantName: unknown field');
    await expect(
      log.record(input({ purpose: 'called her about the new shift' as never })),
    ).rejects.toThrow(/purpose: /);
    expect(await audit().countDocuments()).toBe(0);

    expect((await log.record(input())).seq).toBe(1);
    expect(JSON.stringify(await audit().find().toArray())).not.toContain('Fatima');
  });
});
