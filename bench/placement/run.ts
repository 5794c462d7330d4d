/**
 * Placement benchmark: `POST /placements` of the real placement service against a bare express +
 * zod handler writing the same document with the native driver, same FerretDB, same run. For each
 * side the highest throughput whose p99 latency stays under the limit. `npm run bench:placement`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { createEvent, PlacementRecordedV1, REGIONS, SECTORS } from '@sanad/contracts';
import { loadConfig as loadServiceConfig } from '@sanad/placement-service/dist/config';
import { startPlacementService } from '@sanad/placement-service/dist/main';
import {
  bearerFor,
  serviceTestEnv,
  servers,
  testCaller,
  testKafka,
  uniqueName,
  within,
} from '@sanad/testing';
import { bareDocument, startBare, type BareServer } from './bare';
import { loadConfig, type PlacementBenchConfig } from './config';
import { placementBody, type LoadJob, type LoadReply, type LoadResult } from './load';
import { hostEnvironment } from '../shared/env';

type Side = 'bare' | 'service';
type Service = Awaited<ReturnType<typeof startPlacementService>>;

export interface Step extends LoadResult {
  side: Side;
  phase: 'warmup' | 'step';
  /** CPU of this process (the server under test; the load generator runs in a child), per 2xx. */
  serverCpuUsPerReq: number;
  /** Event loop utilisation of this process over the step, 0..1. */
  eventLoopUtilization: number;
  withinLimit: boolean;
}

interface Best {
  connections: number;
  reqPerSec: number;
  p50: number;
  p99: number;
}

const progress = (message: string) => console.error(`· ${message}`);
const CLEANUP_TIMEOUT_MS = 20_000;
const CHECK_TIMEOUT_MS = 30_000;

/** The child process that runs autocannon, one job at a time. */
class LoadGenerator {
  private readonly child: ChildProcess;
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve(r: LoadResult): void; reject(e: unknown): void }
  >();

  constructor() {
    // The default execArgv is this process's: under tsx the child loads TypeScript too.
    this.child = fork(path.join(__dirname, 'load.ts'), [], { stdio: 'inherit' });
    this.child.on('message', (reply: LoadReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiting) return;
      if (reply.result) waiting.resolve(reply.result);
      else waiting.reject(new Error(`load generator: ${reply.error ?? 'no result'}`));
    });
    this.child.on('exit', (code) => {
      for (const { reject } of this.pending.values()) {
        reject(new Error(`load generator exited (${code})`));
      }
      this.pending.clear();
    });
  }

  run(job: LoadJob): Promise<LoadResult> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, job });
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

/** Every key path of a value (arrays by their first element), sorted: its shape. */
function shape(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? shape(value[0], `${prefix}[]`) : [prefix];
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.entries(value)
      .flatMap(([k, v]) => [`${prefix}.${k}`, ...shape(v, `${prefix}.${k}`)])
      .sort();
  }
  return [];
}

function sameShapeOrThrow(what: string, a: unknown, b: unknown): void {
  const [sa, sb] = [shape(a), shape(b)];
  const onlyA = sa.filter((k) => !sb.includes(k));
  const onlyB = sb.filter((k) => !sa.includes(k));
  if (onlyA.length > 0 || onlyB.length > 0) {
    throw new Error(`${what}: shapes differ: ${JSON.stringify({ onlyA, onlyB })}`);
  }
}

/** The bare side's outbox event has exactly the fields of the one the service builds. */
function checkEventShape(): void {
  const now = new Date();
  const id = randomUUID();
  const body = placementBody(randomUUID(), randomUUID(), null) as Parameters<
    typeof bareDocument
  >[0];
  const bare = bareDocument(body, id, now);
  const { participantId, employerId, programmeId, coachId, ...terms } = body;
  const real = createEvent(
    PlacementRecordedV1,
    { placementId: id, participantId, employerId, programmeId, coachId, ...terms },
    { producer: 'placement', correlationId: randomUUID(), causationId: null },
    now,
  );
  sameShapeOrThrow('outbox event', bare.outbox[0]?.event, real);
}

/**
 * The employer every placement of both sides names, made once through the service's API (it
 * refuses a placement at an employer it does not know); null when the service has no /employers.
 */
async function createEmployer(serviceUrl: string, authorization: string): Promise<string | null> {
  const res = await fetch(`${serviceUrl}/employers`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Muscat Public Library',
      sector: SECTORS[0],
      region: REGIONS[0],
      contacts: [
        {
          role: 'hr',
          fullName: 'Maryam Al-Harthy',
          email: 'hr@library.example',
          preferredLanguage: 'ar',
        },
      ],
    }),
  });
  if (res.status === 404) return null;
  const answer = (await res.json()) as { employer?: { id?: string } };
  if (res.status !== 201 || !answer.employer?.id) {
    throw new Error(`POST /employers answered ${res.status}: ${JSON.stringify(answer)}`);
  }
  return answer.employer.id;
}

function best(steps: Step[], side: Side): Best | null {
  const ok = steps.filter((s) => s.side === side && s.phase === 'step' && s.withinLimit);
  const top = ok.reduce<Step | null>((b, s) => (!b || s.reqPerSec > b.reqPerSec ? s : b), null);
  return top
    ? {
        connections: top.connections,
        reqPerSec: top.reqPerSec,
        p50: top.latencyMs.p50,
        p99: top.latencyMs.p99,
      }
    : null;
}

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function formatTable(steps: Step[], config: PlacementBenchConfig): string {
  const head = ['side', 'phase', 'conn', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];
  const rows = steps.map((s) => [
    s.side,
    s.phase,
    String(s.connections),
    fixed(s.reqPerSec, 0),
    fixed(s.latencyMs.p50),
    fixed(s.latencyMs.p90),
    fixed(s.latencyMs.p99),
    fixed(s.latencyMs.max),
    fixed(s.serverCpuUsPerReq, 0),
    fixed(s.eventLoopUtilization, 2),
    s.phase === 'warmup' ? '' : s.withinLimit ? 'yes' : 'NO',
  ]);
  const header = [...head, 'cpu µs/req', 'ELU', `p99<${config.p99LimitMs}`];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const runId = uniqueName('bench-placement');
  const startedAt = new Date().toISOString();
  progress(`run ${runId}`);
  checkEventShape();

  const mongo = new MongoClient(config.mongoUrl, { serverSelectionTimeoutMS: 5_000 });
  await mongo.connect();
  const env = serviceTestEnv('placement');
  const bareDbName = `${runId}_bare`.replace(/[^\w]/g, '_');
  const load = new LoadGenerator();
  let service: Service | null = null;
  let bare: BareServer | null = null;

  const cleanup = async () => {
    const problems: unknown[] = [];
    const attempt = async (work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        problems.push(error);
      }
    };
    load.close();
    if (service) await attempt(() => (service as Service).stop());
    progress('service stopped');
    if (bare) await attempt(() => (bare as BareServer).stop());
    await attempt(() => mongo.db(env.MONGO_DB).dropDatabase());
    await attempt(() => mongo.db(bareDbName).dropDatabase());
    await attempt(async () => {
      const admin = testKafka().admin();
      await admin.connect();
      try {
        const topics = (await admin.listTopics()).filter((t) =>
          t.startsWith(env.KAFKA_TOPIC_PREFIX),
        );
        if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 15_000 });
      } finally {
        await admin.disconnect();
      }
    });
    await attempt(() => mongo.close());
    if (problems.length > 0) throw new AggregateError(problems, `cleanup of ${runId} incomplete`);
  };
  const cleanupWithin = () =>
    Promise.race([
      cleanup(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('cleanup timed out')), CLEANUP_TIMEOUT_MS).unref(),
      ),
    ]);

  const watchdog = setTimeout(() => {
    console.error(`bench: over ${config.timeoutMs} ms, giving up`);
    void cleanupWithin()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(1));
  }, config.timeoutMs);

  const steps: Step[] = [];
  let counts: Record<Side, { stored: number; created: number; sent: number }> | null = null;
  let failure: unknown = null;
  try {
    service = await startPlacementService(loadServiceConfig(env));
    bare = await startBare(mongo.db(bareDbName));
    const urls: Record<Side, string> = {
      service: `http://127.0.0.1:${service.port}`,
      bare: `http://127.0.0.1:${bare.port}`,
    };
    // One coach records every placement, each with a new participant, all at one employer.
    const coach = testCaller('coach');
    const programmeId = randomUUID();
    const employerId = await createEmployer(urls.service, await bearerFor(coach, 'placement'));
    progress(
      employerId ? `employer ${employerId}` : 'no /employers: a new employer id per request',
    );

    const measure = async (side: Side, phase: Step['phase'], connections: number) => {
      const seconds = phase === 'warmup' ? config.warmupSeconds : config.seconds;
      // A fresh token for each step, reused for all its requests (a step is < 60 s, its life).
      const authorization = side === 'service' ? await bearerFor(coach, 'placement') : null;
      const cpu0 = process.cpuUsage();
      const elu0 = performance.eventLoopUtilization();
      const result = await load.run({
        url: urls[side],
        connections,
        seconds,
        authorization,
        keyPrefix: `${runId}-${side}-${phase}-${connections}`,
        coachId: coach.userId,
        programmeId,
        employerId,
      });
      const cpu = process.cpuUsage(cpu0);
      const elu = performance.eventLoopUtilization(elu0);
      const ok = Math.round(result.reqPerSec * result.durationSec);
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(
          `${side} ${phase} c=${connections}: ${result.non2xx} non-2xx, ${result.errors} errors ` +
            `(${result.timeouts} timeouts), status codes ${JSON.stringify(result.statusCodes)}`,
        );
      }
      const step: Step = {
        side,
        phase,
        ...result,
        serverCpuUsPerReq: ok > 0 ? (cpu.user + cpu.system) / ok : Number.NaN,
        eventLoopUtilization: elu.utilization,
        withinLimit: result.latencyMs.p99 < config.p99LimitMs,
      };
      steps.push(step);
      progress(
        `${side.padEnd(7)} ${phase.padEnd(6)} c=${String(connections).padStart(3)}: ` +
          `${Math.round(step.reqPerSec)} req/s, p50 ${fixed(step.latencyMs.p50)} ms, ` +
          `p99 ${fixed(step.latencyMs.p99)} ms`,
      );
      return step;
    };

    if (config.warmupSeconds > 0) {
      for (const side of ['bare', 'service'] as const) {
        await measure(side, 'warmup', config.warmupConnections);
      }
    }
    // Sides take turns at each level (which goes first alternates), so that both see the
    // database in the same state; a side stops climbing once its p99 is over the limit.
    const done: Record<Side, boolean> = { bare: false, service: false };
    for (const [i, connections] of config.connections.entries()) {
      const order = i % 2 === 0 ? (['bare', 'service'] as const) : (['service', 'bare'] as const);
      for (const side of order) {
        if (done[side]) continue;
        const step = await measure(side, 'step', connections);
        if (!step.withinLimit) done[side] = true;
      }
      if (done.bare && done.service) break;
    }

    // Every 201 stored, and nothing that was not sent: autocannon stops counting at the end of a
    // step, so requests still in flight then are stored but not among the 201s.
    const total = (side: Side, what: (s: Step) => number) =>
      steps.filter((s) => s.side === side).reduce((n, s) => n + what(s), 0);
    const replays = steps.reduce((n, s) => n + (s.statusCodes['200'] ?? 0), 0);
    if (replays > 0) throw new Error(`${replays} responses were 200 (a replay), not 201`);
    const dbNames: Record<Side, string> = { service: env.MONGO_DB, bare: bareDbName };
    const tally = async (side: Side) => ({
      stored: await mongo.db(dbNames[side]).collection('placements').countDocuments(),
      created: total(side, (s) => s.statusCodes['201'] ?? 0),
      sent: total(side, (s) => s.sent),
    });
    progress('counting stored placements');
    const [serviceTally, bareTally] = await within(
      Promise.all([tally('service'), tally('bare')]),
      CHECK_TIMEOUT_MS,
      'counting the stored placements',
    );
    const tallies = { service: serviceTally, bare: bareTally };
    counts = tallies;
    for (const side of ['service', 'bare'] as const) {
      const { stored, created, sent } = tallies[side];
      if (stored < created || stored > sent) {
        throw new Error(`${side}: ${stored} placements stored for ${created} 201s, ${sent} sent`);
      }
    }
    // The documents are the same, field for field (the service's outbox may be sent already).
    const [oneService, oneBare] = await within(
      Promise.all([
        mongo
          .db(env.MONGO_DB)
          .collection('placements')
          .findOne({}, { projection: { outbox: 0 } }),
        mongo
          .db(bareDbName)
          .collection('placements')
          .findOne({}, { projection: { outbox: 0 } }),
      ]),
      CHECK_TIMEOUT_MS,
      'reading a stored placement of each side',
    );
    sameShapeOrThrow('placement document', oneService, oneBare);
  } catch (error) {
    failure = error;
  }
  progress('cleaning up');
  try {
    await cleanupWithin();
  } catch (error) {
    failure ??= error;
  }
  clearTimeout(watchdog);
  if (failure !== null) throw failure;

  const bestOf = { service: best(steps, 'service'), bare: best(steps, 'bare') };
  const ratio =
    bestOf.service && bestOf.bare ? bestOf.service.reqPerSec / bestOf.bare.reqPerSec : Number.NaN;
  const meetsGoal = ratio >= config.goalRatio;
  // Also at equal concurrency, wherever both sides ran (whatever their p99): req/s service / bare.
  const atEqualConcurrency = config.connections.flatMap((connections) => {
    const of = (side: Side) =>
      steps.find((s) => s.side === side && s.phase === 'step' && s.connections === connections);
    const [service, bareStep] = [of('service'), of('bare')];
    return service && bareStep
      ? [{ connections, ratio: service.reqPerSec / bareStep.reqPerSec }]
      : [];
  });
  const result = {
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    environment: {
      ...hostEnvironment(),
      mongoUrl: servers.mongoUrl,
      kafkaBrokers: servers.kafkaBrokers,
    },
    config,
    token: 'one bearerFor token per step (fresh before each step), reused for its requests',
    steps,
    counts,
    best: bestOf,
    ratio,
    atEqualConcurrency,
    goal: config.goalRatio,
    meetsGoal,
  };

  const describe = (b: Best | null) =>
    b
      ? `${fixed(b.reqPerSec, 0)} req/s at ${b.connections} connections ` +
        `(p50 ${fixed(b.p50)} ms, p99 ${fixed(b.p99)} ms)`
      : `no step with p99 < ${config.p99LimitMs} ms`;
  console.log(
    `POST /placements, ${config.seconds} s per step, p99 limit ${config.p99LimitMs} ms\n`,
  );
  console.log(formatTable(steps, config));
  console.log('');
  console.log(`bare     best: ${describe(bestOf.bare)}`);
  console.log(`service  best: ${describe(bestOf.service)}`);
  console.log(
    `ratio service / bare: ${fixed(ratio, 2)}  (goal >= ${config.goalRatio}: ` +
      `${meetsGoal ? 'met' : 'NOT met'})`,
  );
  console.log(
    `req/s service / bare at equal concurrency: ${
      atEqualConcurrency.map((r) => `${r.connections}: ${fixed(r.ratio, 2)}`).join(', ') || '-'
    }`,
  );
  const dir = path.resolve(__dirname, '..', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `placement-${startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nresults: ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
