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

  attach(client: MongoClient, tag: string): void {
    client.on('commandStarted', (event: CommandStartedEvent) => {
      this.pending.set(`${tag}:${event.requestId}`, {
        database: event.databaseName,
        command: event.commandName,
        docs: docsIn(event),
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
    client.on('commandSucceeded', (event: CommandSucceededEvent) => finish(event));
    client.on('commandFailed', (event) => finish(event));
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

export interface ConsumerProbe {
  /** performance.now() of the (first) GROUP_JOIN, if seen. */
  joinedAt: number | null;
  batches: BatchSeen[];
  /** Messages in finished batches. */
  processed: number;
  /** Called with the probe after every finished batch. */
  onBatch?: () => void;
}

export function observe(consumer: Consumer, probe: ConsumerProbe): void {
  consumer.on(consumer.events.GROUP_JOIN, () => {
    probe.joinedAt ??= performance.now();
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
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export interface BatchSummary {
  count: number;
  sizeP50: number;
  sizeMax: number;
  /** kafkajs's own measure of one eachBatch / eachMessage run, whole milliseconds. */
  durationP50Ms: number;
  durationMaxMs: number;
}

export function summarizeBatches(batches: readonly BatchSeen[]): BatchSummary {
  const sizes = distribution(batches.map((b) => b.size));
  const durations = distribution(batches.map((b) => b.durationMs));
  return {
    count: batches.length,
    sizeP50: sizes.p50,
    sizeMax: sizes.max,
    durationP50Ms: durations.p50,
    durationMaxMs: durations.max,
  };
}
