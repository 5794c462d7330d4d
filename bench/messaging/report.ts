import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BareWrites, BenchConfig } from './config';
import type { CleanupReport } from './infra';
import type { LatencySample } from './latency';
import type { CommandStat, LookupScaling } from './monitor';
import { distribution, median, type Distribution } from './stats';
import type { Side, ThroughputSample } from './throughput';

export const GOALS = {
  /** defineConsumer events/s over bare events/s, at least. */
  throughputRatio: 0.8,
  /** ours p99 latency over bare p99 latency, at most. */
  latencyP99Ratio: 1.5,
} as const;

export interface ThroughputResult {
  samples: ThroughputSample[];
  medianEventsPerSec: Record<Side, number>;
  /** ours / bare, of the medians. */
  ratio: number;
  goal: number;
  meetsGoal: boolean;
}

export interface LatencyResult {
  samples: LatencySample[];
  /** All measured latencies of a side, its rounds pooled. */
  pooled: Record<Side, Distribution>;
  ratios: { p50: number; p99: number };
  goal: number;
  meetsGoal: boolean;
}

export interface BenchResult {
  runId: string;
  startedAt: string;
  finishedAt: string;
  environment: {
    node: string;
    platform: string;
    cpus: number;
    kafkaBrokers: string[];
    mongoUrl: string;
  };
  config: BenchConfig;
  throughput: ThroughputResult;
  latency: LatencyResult;
  cleanup: CleanupReport | null;
}

export function summarizeThroughput(samples: ThroughputSample[]): ThroughputResult {
  const medianOf = (side: Side) =>
    median(samples.filter((s) => s.side === side).map((s) => s.eventsPerSec));
  const medianEventsPerSec = { bare: medianOf('bare'), ours: medianOf('ours') };
  const ratio = medianEventsPerSec.ours / medianEventsPerSec.bare;
  return {
    samples,
    medianEventsPerSec,
    ratio,
    goal: GOALS.throughputRatio,
    meetsGoal: ratio >= GOALS.throughputRatio,
  };
}

export function summarizeLatency(samples: LatencySample[]): LatencyResult {
  const pool = (side: Side) =>
    distribution(samples.filter((s) => s.side === side).flatMap((s) => s.latenciesMs));
  const pooled = { bare: pool('bare'), ours: pool('ours') };
  const ratios = { p50: pooled.ours.p50 / pooled.bare.p50, p99: pooled.ours.p99 / pooled.bare.p99 };
  return {
    samples,
    pooled,
    ratios,
    goal: GOALS.latencyP99Ratio,
    meetsGoal: ratios.p99 <= GOALS.latencyP99Ratio,
  };
}

// ---------------------------------------------------------------------------------------------------
// Printing

const SIDE_LABEL: Record<Side, string> = { bare: 'bare kafkajs', ours: 'defineConsumer' };
const LATENCY_LABEL: Record<Side, string> = {
  bare: 'bare kafkajs',
  ours: 'publisher+defineConsumer',
};

const num = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : '-';
const ms = (value: number) => num(value, value < 100 ? 1 : 0);
const ratio = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '-');

/** A plain text table: first column left-aligned, the others right-aligned. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** "find 14× 12.3 ms ·1 429" : round trips per command, p50 time, documents per round trip. */
function dbRoundTrips(stats: CommandStat[]): string {
  const interesting = stats.filter((s) => ['find', 'insert', 'update'].includes(s.command));
  if (interesting.length === 0) return '-';
  return interesting
    .map((s) => `${s.command} ${s.count}× p50 ${ms(s.p50Ms)} ms, ${num(s.docsPerCommand)} docs`)
    .join('; ');
}

function lookupLine(stats: CommandStat[], scaling: LookupScaling | null): string {
  const part = (command: string) => {
    const s = stats.find((c) => c.command === command);
    return s ? `${command} ${s.count}× summed ${num(s.totalMs)} ms` : `${command} -`;
  };
  const growth = scaling
    ? `; lookup ms ≈ ${ms(scaling.interceptMs)} + ${ms(scaling.msPerThousandStored)} per 1,000 inbox docs already stored`
    : '';
  return `${part('find')}, ${part('insert')}${growth}`;
}

const BARE_WRITES_TEXT: Record<BareWrites, string> = {
  insert: 'insertOne (duplicate key = seen)',
  upsert: 'updateOne upserts with $setOnInsert',
  'find+insert': 'insertOne, after a find _id $in like the inbox (diagnostic)',
};

const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

export function formatReport(result: BenchResult): string {
  const { config, throughput, latency } = result;
  const out: string[] = [];
  out.push(
    `Sanad messaging bench  ${result.runId}  ${result.startedAt}`,
    `node ${result.environment.node}, ${result.environment.cpus} CPUs; Kafka ${config.kafkaBrokers.join(',')}; ` +
      `FerretDB ${config.mongoUrl}`,
    `every side and round: fresh topic(s) with ${config.partitions} partitions, fresh consumer group, fresh database`,
    '',
    `(a) Throughput with inbox dedupe: ${num(config.events)} placement.recorded v1 events over ` +
      `${num(config.keys)} keys, timed from group join to the end of the batch completing all of them;`,
    `bare side: plain kafkajs eachBatch, JSON.parse, one native bulkWrite per batch of ` +
      BARE_WRITES_TEXT[config.bareWrites],
    '',
  );
  const sorted = [...throughput.samples].sort(
    (a, b) => a.round - b.round || a.side.localeCompare(b.side),
  );
  out.push(
    table(
      [
        'side',
        'round',
        'events/s',
        'elapsed ms',
        'node CPU ms',
        'fetches',
        'batches',
        'size p50/max',
        'batch ms p50/max',
        'inbox round trips',
      ],
      sorted.map((s) => [
        SIDE_LABEL[s.side],
        String(s.round),
        num(s.eventsPerSec),
        num(s.elapsedMs),
        num(s.cpuMs),
        String(s.batches.fetches),
        String(s.batches.count),
        `${num(s.batches.sizeP50)}/${num(s.batches.sizeMax)}`,
        `${num(s.batches.durationP50Ms)}/${num(s.batches.durationMaxMs)}`,
        dbRoundTrips(s.db),
      ]),
    ),
    '',
    `median events/s: bare ${num(throughput.medianEventsPerSec.bare)}, defineConsumer ` +
      `${num(throughput.medianEventsPerSec.ours)}`,
    `ratio defineConsumer/bare = ${ratio(throughput.ratio)}   (goal >= ${throughput.goal}: ` +
      `${verdict(throughput.meetsGoal)})`,
    '',
    `(b) Round-trip latency: ${num(config.rttEvents)} events per side and round, one send started every ` +
      `${config.rttGapMs} ms (never two in flight), first ${config.rttWarmup} left out; ` +
      `ms from the produce call to the consumer having the event`,
    '',
  );
  const latencyRow = (label: string, d: Distribution, extra: string[]) => [
    label,
    num(d.count),
    ms(d.p50),
    ms(d.p90),
    ms(d.p99),
    ms(d.max),
    ms(d.mean),
    ...extra,
  ];
  const roundRows = latency.samples.map((s) =>
    latencyRow(`${LATENCY_LABEL[s.side]} r${s.round}`, s.latency, [
      `${ms(s.send.p50)}/${ms(s.send.p99)}`,
      String(s.batches.fetches),
      String(s.batches.count),
      `${num(s.batches.sizeP50)}/${num(s.batches.sizeMax)}`,
      `${num(s.batches.durationP50Ms)}/${num(s.batches.durationMaxMs)}`,
      dbRoundTrips(s.db),
    ]),
  );
  const multipleRounds = latency.samples.length > 2;
  const pooledRows = multipleRounds
    ? (['bare', 'ours'] as const).map((side) =>
        latencyRow(`${LATENCY_LABEL[side]} (all rounds)`, latency.pooled[side], [
          '',
          '',
          '',
          '',
          '',
          '',
        ]),
      )
    : [];
  out.push(
    table(
      [
        'side',
        'n',
        'p50',
        'p90',
        'p99',
        'max',
        'mean',
        'send p50/p99',
        'fetches',
        'batches',
        'size p50/max',
        'batch ms p50/max',
        'inbox round trips',
      ],
      [...roundRows, ...pooledRows],
    ),
    '',
    `ratio ours/bare: p50 ${ratio(latency.ratios.p50)}, p99 ${ratio(latency.ratios.p99)}   ` +
      `(goal p99 <= ${latency.goal}: ${verdict(latency.meetsGoal)})`,
  );
  const oursTp = sorted.filter((s) => s.side === 'ours');
  const oursRtt = latency.samples.filter((s) => s.side === 'ours');
  out.push(
    '',
    'Where the defineConsumer time goes (driver command monitoring; concurrent commands overlap):',
  );
  for (const s of oursTp) out.push(`  (a) round ${s.round}: ${lookupLine(s.db, s.lookupScaling)}`);
  for (const s of oursRtt) {
    out.push(
      `  (b) round ${s.round}: ${lookupLine(s.db, s.lookupScaling)}`,
      `      latency p50 over the first tenth of the sends ${ms(s.p50FirstTenth)} ms, over the last ` +
        `tenth ${ms(s.p50LastTenth)} ms (bare: ${latency.samples
          .filter((b) => b.side === 'bare')
          .map((b) => `${ms(b.p50FirstTenth)} -> ${ms(b.p50LastTenth)} ms`)
          .join(', ')})`,
    );
  }
  const plan = oursTp.find((s) => s.lookupPlan !== null)?.lookupPlan;
  if (plan) out.push(`  server plan for the inbox lookup find({_id: {$in: [...]}}): ${plan}`);
  if (result.cleanup) {
    const c = result.cleanup;
    out.push(
      '',
      `cleanup: ${c.topicsDeleted} topics deleted, ${c.groupsDeleted} consumer groups deleted, ` +
        `${c.databasesDropped} databases dropped (earlier ones dropped after their round)`,
    );
  }
  return out.join('\n');
}

/** Writes the result to bench/results/messaging-<iso timestamp>.json and returns the path. */
export async function writeResult(result: BenchResult): Promise<string> {
  const dir = path.resolve(__dirname, '..', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `messaging-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
