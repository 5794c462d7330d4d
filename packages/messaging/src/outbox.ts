import type { Collection } from 'mongodb';
import type { Envelope } from '@sanad/contracts';
import type { Logger } from '@sanad/logger';
import type { EventPublisher } from './producer';
import type { WriteLocks } from './write-locks';

/**
 * An event waiting in its aggregate's own document. The state change and its events are one
 * single-document write, so neither exists without the other; no transaction is needed.
 */
export interface OutboxEntry {
  eventId: string;
  event: Envelope;
}

/** The field of every aggregate document that holds its unpublished events. */
export const OUTBOX_FIELD = 'outbox';

/** What the relay needs of an aggregate document. */
export interface OutboxDocument {
  /** Aggregates use their UUID as _id. */
  _id: string;
  outbox?: OutboxEntry[];
}

export const toOutboxEntries = (events: readonly Envelope[]): OutboxEntry[] =>
  events.map((event) => ({ eventId: event.eventId, event }));

/** The `$push` to add to the same update that changes the aggregate's state. */
export const outboxPush = (events: readonly Envelope[]) => ({
  [OUTBOX_FIELD]: { $each: toOutboxEntries(events) },
});

export interface OutboxRelaySettings {
  /** Collections whose documents carry an outbox. */
  collections: Collection<OutboxDocument>[];
  publisher: EventPublisher;
  /** The same locks the service's repositories write under: marking sent is an update too. */
  locks: WriteLocks;
  logger: Logger;
  /** How often to look for work nobody announced (after a crash, from another instance). */
  pollIntervalMs?: number;
  /** Documents taken per round. */
  batchSize?: number;
  /** Fault injection: runs after a round is published and before it is marked sent. */
  afterPublish?: () => Promise<void>;
}

export interface OutboxRelay {
  start(): void;
  /**
   * Ask for a round now: called right after a write, so events leave without waiting for a poll.
   * Naming the document written makes the round read just that document by id; without it the
   * round looks through the whole collection (FerretDB 1.x scans it) as the periodic poll does.
   */
  nudge(written?: { collection: string; id: string }): void;
  /** Publishes everything pending now; resolves with how many events went out. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

const pendingFilter = { 'outbox.0': { $exists: true } };

/**
 * Publishes pending events, then marks them sent by removing them from the document. Killed at
 * any point, it loses nothing: what was not removed is published again on the next round, and a
 * second publication is harmless because every consumer deduplicates by event id.
 */
export function createOutboxRelay(settings: OutboxRelaySettings): OutboxRelay {
  const { collections, publisher, pollIntervalMs = 1_000, batchSize = 200 } = settings;
  const log = settings.logger.child({ module: 'outbox-relay' });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;

  /** Publishes the pending events of these documents, then removes exactly those entries. */
  const publishAndMark = async (
    collection: Collection<OutboxDocument>,
    docs: OutboxDocument[],
  ): Promise<number> => {
    if (docs.length === 0) return 0;
    const events = docs.flatMap((d) => (d.outbox ?? []).map((e) => e.event));
    await publisher.publish(events);
    if (settings.afterPublish) await settings.afterPublish();
    // $pullAll of the entries exactly as read: FerretDB 1.x ignores a $pull with a condition.
    await Promise.all(
      docs.map((d) =>
        settings.locks.run(collection.collectionName, d._id, () =>
          collection.updateOne({ _id: d._id }, { $pullAll: { outbox: d.outbox ?? [] } }),
        ),
      ),
    );
    return events.length;
  };

  const roundOn = async (collection: Collection<OutboxDocument>): Promise<number> => {
    const docs = await collection
      .find(pendingFilter, { projection: { [OUTBOX_FIELD]: 1 } })
      .limit(batchSize)
      .toArray();
    return publishAndMark(collection, docs);
  };

  const drain = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      let round = 0;
      for (const collection of collections) round += await roundOn(collection);
      total += round;
      if (round === 0) return total;
    }
  };

  // Documents announced by a nudge, per collection: read one by one by id, no collection scan.
  const announced = new Map<string, Set<string>>();
  let fullRoundWanted = false;

  const announcedRound = async (): Promise<number> => {
    let total = 0;
    for (const collection of collections) {
      const ids = announced.get(collection.collectionName);
      if (!ids || ids.size === 0) continue;
      const batch = [...ids];
      ids.clear();
      const docs = await Promise.all(
        batch.map((id) => collection.findOne({ _id: id }, { projection: { [OUTBOX_FIELD]: 1 } })),
      );
      total += await publishAndMark(
        collection,
        docs.filter((d): d is OutboxDocument => d !== null && (d.outbox?.length ?? 0) > 0),
      );
    }
    return total;
  };

  const work = (): Promise<number> => {
    if (fullRoundWanted) {
      fullRoundWanted = false;
      announced.clear(); // a full round takes them too
      return drain();
    }
    return announcedRound();
  };

  const runOnce = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = work()
      .catch((error) => {
        log.error({ err: error }, 'outbox round failed; will retry');
        fullRoundWanted = true; // what was announced may not have gone out: look everywhere
        return 0;
      })
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          void runOnce();
        }
      });
    return running;
  };

  return {
    start() {
      stopped = false;
      const tick = () => {
        fullRoundWanted = true;
        void runOnce().finally(() => {
          if (!stopped) timer = setTimeout(tick, pollIntervalMs);
        });
      };
      tick();
    },
    nudge(written) {
      if (stopped) return;
      if (written) {
        const ids = announced.get(written.collection) ?? new Set<string>();
        ids.add(written.id);
        announced.set(written.collection, ids);
      } else {
        fullRoundWanted = true;
      }
      void runOnce();
    },
    drain: () => drain(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
