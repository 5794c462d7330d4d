import type { Consumer, Kafka } from 'kafkajs';
import type { CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';
import { distribution, sum } from './stats';

/** What the driver saw of one kind of database command during a round. */
export interface CommandStat {
  command: string;
  count: number;
  /** Summed over all commands; concurrent ones overlap, so this can exceed the wall time. */
  totalMs: number;
  p50Ms: number;
  maxMs: number;
  /** Ids in a find's `$in`, documents in an insert, statements in an update. */
  docsPerCommand: number;
}

interface Pending {
  database: string;
  command: string;
  docs: number;
  /** Documents written to this database by earlier successful commands, when this one started. */
  storedBefore: number;
}

/**
 * How the time of the inbox lookup (`find _id $in`) grows with the documents already stored: a
 * least-squares line through (stored documents, ms) over all finds of a round.
 */
export interface LookupScaling {
  finds: number;
  msPerThousandStored: number;
  interceptMs: number;
}

function docsIn(event: CommandStartedEvent): number {
  const c = event.command as Record<string, unknown>;
  const size = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  switch (event.commandName) {
    case 'insert':
      return size(c.documents);
    case 'update':
      return size(c.updates);
    case 'delete':
      return size(c.deletes);
    case 'find': {
      const filter = c.filter as { _id?: { $in?: unknown } } | undefined;
      return size(filter?._id?.$in);
    }
    default:
      return 0;
  }
}

/**
 * Driver command monitoring (clients created with `monitorCommands: true`): per database, how many
 * round trips of each kind went to the server, how long they took and how many documents each carried.
 */
export class CommandMonitor {
  private readonly pending = new Map<string, Pending>();
  private readonly seen = new Map<string, Map<string, { ms: number[]; docs: number[] }>>();
  private readonly stored = new Map<string, number>();
  private readonly finds = new Map<string, { storedBefore: number; ms: number }[]>();

  attach(client: MongoClient, tag: string): void {
    client.on('commandStarted', (event: CommandStartedEvent) => {
      this.pending.set(`${tag}:${event.requestId}`, {
        database: event.databaseName,
        command: event.commandName,
        docs: docsIn(event),
        storedBefore: this.stored.get(event.databaseName) ?? 0,
      });
    });
    const finish = (event: { requestId: number; duration: number }) => {
      const key = `${tag}:${event.requestId}`;
      const started = this.pending.get(key);
      if (!started) return;
      this.pending.delete(key);
      const byCommand = this.seen.get(started.database) ?? new Map();
      this.seen.set(started.database, byCommand);
      const entry = byCommand.get(started.command) ?? { ms: [], docs: [] };
      byCommand.set(started.command, entry);
      entry.ms.push(event.duration);
      entry.docs.push(started.docs);
    };
    client.on('commandSucceeded', (event: CommandSucceededEvent) => {
      const started = this.pending.get(`${tag}:${event.requestId}`);
      if (started && (started.command === 'insert' || started.command === 'update')) {
        this.stored.set(started.database, (this.stored.get(started.database) ?? 0) + started.docs);
      }
      if (started?.command === 'find') {
        const list = this.finds.get(started.database) ?? [];
        this.finds.set(started.database, list);
        list.push({ storedBefore: started.storedBefore, ms: event.duration });
      }
      finish(event);
    });
    client.on('commandFailed', (event) => finish(event));
  }

  lookupScalingFor(database: string): LookupScaling | null {
    const points = this.finds.get(database) ?? [];
    if (points.length < 3) return null;
    const n = points.length;
    const meanX = sum(points.map((p) => p.storedBefore)) / n;
    const meanY = sum(points.map((p) => p.ms)) / n;
    const sxx = sum(points.map((p) => (p.storedBefore - meanX) ** 2));
    const sxy = sum(points.map((p) => (p.storedBefore - meanX) * (p.ms - meanY)));
    if (sxx === 0) return null;
    const slope = sxy / sxx;
    return { finds: n, msPerThousandStored: slope * 1_000, interceptMs: meanY - slope * meanX };
  }

  statsFor(database: string): CommandStat[] {
    const byCommand = this.seen.get(database);
    if (!byCommand) return [];
    return [...byCommand].map(([command, { ms, docs }]) => {
      const d = distribution(ms);
      return {
        command,
        count: ms.length,
        totalMs: sum(ms),
        p50Ms: d.p50,
        maxMs: d.max,
        docsPerCommand: ms.length === 0 ? 0 : sum(docs) / ms.length,
      };
    });
  }
}

/** One processed batch, as kafkajs reports it (END_BATCH_PROCESS fires after eachBatch returns). */
export interface BatchSeen {
  partition: number;
  size: number;
  durationMs: number;
  /** performance.now() when the batch finished. */
  endedAt: number;
}

export const newProbe = (): ConsumerProbe => ({
  joinedAt: null,
  joinedCpu: null,
  batches: [],
  fetches: 0,
  processed: 0,
});

export interface ConsumerProbe {
  /** performance.now() of the (first) GROUP_JOIN, if seen. */
  joinedAt: number | null;
  /** This process's CPU usage at that moment. */
  joinedCpu: NodeJS.CpuUsage | null;
  batches: BatchSeen[];
  /** Fetch requests answered (kafkajs processes all batches of one fetch before the next). */
  fetches: number;
  /** Messages in finished batches. */
  processed: number;
  /** Called with the probe after every finished batch. */
  onBatch?: () => void;
}

export function observe(consumer: Consumer, probe: ConsumerProbe): void {
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (probe.joinedAt !== null) return;
    probe.joinedAt = performance.now();
    probe.joinedCpu = process.cpuUsage();
  });
  consumer.on(consumer.events.FETCH, () => {
    probe.fetches += 1;
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    probe.batches.push({
      partition: payload.partition,
      size: payload.batchSize,
      durationMs: payload.duration,
      endedAt: performance.now(),
    });
    probe.processed += payload.batchSize;
    probe.onBatch?.();
  });
}

/**
 * The same Kafka client, except that every consumer it creates is observed. This is how the bench
 * sees the group join and batches of the consumer that `runConsumer` creates inside itself.
 */
export function observedKafka(kafka: Kafka, probe: ConsumerProbe): Kafka {
  return new Proxy(kafka, {
    get(target, property) {
      if (property === 'consumer') {
        return (...args: Parameters<Kafka['consumer']>) => {
          const consumer = target.consumer(...args);
          observe(consumer, probe);
          return consumer;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

export interface BatchSummary {
  count: number;
  fetches: number;
  sizeP50: number;
  sizeMax: number;
  /** kafkajs's own measure of one eachBatch / eachMessage run, whole milliseconds. */
  durationP50Ms: number;
  durationMaxMs: number;
}

export function summarizeBatches({ batches, fetches }: ConsumerProbe): BatchSummary {
  const sizes = distribution(batches.map((b) => b.size));
  const durations = distribution(batches.map((b) => b.durationMs));
  return {
    count: batches.length,
    fetches,
    sizeP50: sizes.p50,
    sizeMax: sizes.max,
    durationP50Ms: durations.p50,
    durationMaxMs: durations.max,
  };
}

/**
 * The server's plan for the inbox lookup exactly as `createInbox().seen()` sends it. MongoDB answers
 * with a winningPlan (IDHACK / IXSCAN / COLLSCAN); FerretDB 1.x with its SQL plan and whether the
 * filter was pushed down to SQL at all.
 */
export async function explainInboxLookup(mongo: MongoClient, database: string): Promise<string> {
  const reply = await mongo.db(database).command({
    explain: {
      find: 'inbox',
      filter: { _id: { $in: ['bench|a', 'bench|b'] } },
      projection: { _id: 1 },
    },
  });
  const planner = (reply.queryPlanner ?? {}) as { Plan?: unknown; winningPlan?: unknown };
  const stages: string[] = [];
  const walk = (plan: unknown) => {
    if (!plan || typeof plan !== 'object') return;
    const { stage, inputStage } = plan as { stage?: unknown; inputStage?: unknown };
    if (typeof stage === 'string') stages.push(stage);
    walk(inputStage);
  };
  walk(planner.winningPlan);
  const plan =
    stages.length > 0
      ? stages.join(' <- ')
      : Array.isArray(planner.Plan)
        ? planner.Plan.map(String).join(' | ')
        : JSON.stringify(planner);
  return 'filterPushdown' in reply
    ? `${plan}; filterPushdown: ${String(reply.filterPushdown)}`
    : plan;
}
