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
  /**
   * How soon to look through the collections for work nobody announced: at start, after a failed
   * round, and after a look that found some. Looks that find only announced work (or none) double
   * the wait, up to `maxPollIntervalMs`: the look is a full scan on FerretDB 1.x.
   */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Documents read and published at a time. */
  batchSize?: number;
  /**
   * Published events are removed from their documents ("marked sent") once no nudge came for this
   * long: on FerretDB 1.x that update scans the collection holding its write lock, so it waits for
   * a quiet moment instead of holding back the writes of the requests.
   */
  markDelayMs?: number;
  /** Documents whose marks may wait at most; past that, every round marks the oldest first. */
  maxUnmarked?: number;
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
  /** Publishes everything pending now and marks it sent; resolves with how many events went out. */
  drain(): Promise<number>;
  /** Waits for the round in flight and marks what was published (for a few seconds at most). */
  stop(): Promise<void>;
}

const pendingFilter = { 'outbox.0': { $exists: true } };

/** A pending event older than this, found by a look, was not announced: a crash, or a bug. */
const LEFTOVER_AGE_MS = 10_000;
/** Marks made in one go while the relay is quiet, before nudges get their turn again. */
const MARKS_PER_TURN = 20;
/** How long stop() keeps marking; what is left is published again after the next start. */
const STOP_MARKING_MS = 5_000;

/** Published entries of one document, waiting to be removed from it. */
interface Unmarked {
  collection: Collection<OutboxDocument>;
  id: string;
  entries: OutboxEntry[];
}

/**
 * Publishes pending events, then marks them sent by removing them from the document. Killed at
 * any point, it loses nothing: what was not removed is published again on the next round, and a
 * second publication is harmless because every consumer deduplicates by event id.
 *
 * Order: one document's events go out in the order of its outbox, and never behind a later one of
 * the same document (a published entry still in the document is skipped, not sent again after).
 * Rounds, looks and marks run one at a time.
 */
export function createOutboxRelay(settings: OutboxRelaySettings): OutboxRelay {
  const {
    collections,
    publisher,
    locks,
    pollIntervalMs = 1_000,
    maxPollIntervalMs = 60_000,
    batchSize = 200,
    markDelayMs = 250,
    maxUnmarked = 1_000,
  } = settings;
  const log = settings.logger.child({ module: 'outbox-relay' });
  let stopped = false;
  let pollTimer: NodeJS.Timeout | null = null;
  let markTimer: NodeJS.Timeout | null = null;
  let pollEvery = pollIntervalMs;
  let lastNudgeAt = 0;

  // Published but still in their documents, oldest first, and their event ids: a document read
  // again meanwhile must not send them again.
  const unmarked = new Map<string, Unmarked>();
  const published = new Set<string>();

  /** Publishes what these documents hold that has not gone out yet; the marks wait. */
  const publish = async (
    collection: Collection<OutboxDocument>,
    docs: OutboxDocument[],
  ): Promise<{ events: number; leftovers: boolean }> => {
    const fresh = docs
      .map((doc) => ({
        id: doc._id,
        entries: (doc.outbox ?? []).filter((e) => !published.has(e.eventId)),
      }))
      .filter((d) => d.entries.length > 0);
    if (fresh.length === 0) return { events: 0, leftovers: false };
    const events = fresh.flatMap((d) => d.entries.map((e) => e.event));
    await publisher.publish(events);
    if (settings.afterPublish) await settings.afterPublish();
    for (const { id, entries } of fresh) {
      const key = `${collection.collectionName}/${id}`;
      const waiting = unmarked.get(key);
      if (waiting) waiting.entries.push(...entries);
      else unmarked.set(key, { collection, id, entries: [...entries] });
      for (const e of entries) published.add(e.eventId);
    }
    const bornBefore = Date.now() - LEFTOVER_AGE_MS;
    return {
      events: events.length,
      leftovers: events.some((e) => Date.parse(e.occurredAt) < bornBefore),
    };
  };

  const quiet = () => Date.now() - lastNudgeAt >= markDelayMs;

  /**
   * Removes published entries from their documents, oldest first, one document at a time.
   * `untilBusy` stops as soon as a nudge comes: writes coming back wait for one mark at most.
   */
  const mark = async (count: number, untilBusy = false): Promise<void> => {
    for (const [key, { collection, id, entries }] of unmarked) {
      if (count-- <= 0 || (untilBusy && !quiet())) return;
      // $pullAll of the entries exactly as read: FerretDB 1.x ignores a $pull with a condition.
      await locks.run(collection.collectionName, id, () =>
        collection.updateOne({ _id: id }, { $pullAll: { outbox: entries } }),
      );
      unmarked.delete(key);
      for (const e of entries) published.delete(e.eventId);
    }
  };

  /** Every collection, every pending document (the periodic poll, and after a failure). */
  const lookEverywhere = async (): Promise<{ events: number; leftovers: boolean }> => {
    let events = 0;
    let leftovers = false;
    for (const collection of collections) {
      const cursor = collection
        .find(pendingFilter, { projection: { [OUTBOX_FIELD]: 1 } })
        .batchSize(batchSize);
      let docs: OutboxDocument[] = [];
      const flush = async () => {
        const round = await publish(collection, docs);
        docs = [];
        events += round.events;
        leftovers ||= round.leftovers;
      };
      for await (const doc of cursor) {
        docs.push(doc);
        if (docs.length >= batchSize) await flush();
      }
      await flush();
    }
    return { events, leftovers };
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
      const round = await publish(
        collection,
        docs.filter((d): d is OutboxDocument => d !== null && (d.outbox?.length ?? 0) > 0),
      );
      total += round.events;
    }
    return total;
  };

  const schedulePoll = (ms: number) => {
    if (stopped) return;
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = setTimeout(() => {
      pollTimer = null;
      fullRoundWanted = true;
      runOnce();
    }, ms);
  };

  const scheduleMarks = () => {
    if (stopped || markTimer || unmarked.size === 0) return;
    markTimer = setTimeout(
      () => {
        markTimer = null;
        runOnce();
      },
      Math.max(0, lastNudgeAt + markDelayMs - Date.now()),
    );
  };

  const work = async (): Promise<void> => {
    if (fullRoundWanted) {
      fullRoundWanted = false;
      announced.clear(); // the look takes them too
      const { leftovers } = await lookEverywhere();
      const longest = Math.max(pollIntervalMs, maxPollIntervalMs);
      pollEvery = leftovers ? pollIntervalMs : Math.min(pollEvery * 2, longest);
      schedulePoll(pollEvery);
    } else {
      await announcedRound();
    }
    if (unmarked.size > maxUnmarked) await mark(unmarked.size - maxUnmarked);
    else if (quiet()) await mark(MARKS_PER_TURN, true);
  };

  // One thing at a time: a round, a look, marks, or a drain.
  let running: Promise<void> | null = null;
  let again = false;
  const occupy = <T>(task: () => Promise<T>): Promise<T> => {
    const result = task();
    running = result.then(
      () => undefined,
      () => undefined,
    );
    void running.then(() => {
      running = null;
      if (stopped) return;
      if (again) {
        again = false;
        runOnce();
      } else {
        scheduleMarks();
      }
    });
    return result;
  };

  const runOnce = (): void => {
    if (running) {
      again = true;
      return;
    }
    void occupy(() =>
      work().catch((error: unknown) => {
        log.error({ err: error }, 'outbox round failed; will retry');
        fullRoundWanted = true; // what was announced may not have gone out: look everywhere
        pollEvery = pollIntervalMs;
        schedulePoll(pollEvery);
      }),
    );
  };

  return {
    start() {
      stopped = false;
      pollEvery = pollIntervalMs;
      fullRoundWanted = true; // what a crash left behind goes out first
      runOnce();
    },
    nudge(written) {
      if (stopped) return;
      lastNudgeAt = Date.now();
      if (written) {
        const ids = announced.get(written.collection) ?? new Set<string>();
        ids.add(written.id);
        announced.set(written.collection, ids);
      } else {
        fullRoundWanted = true;
      }
      runOnce();
    },
    async drain() {
      while (running) await running;
      return occupy(async () => {
        const { events } = await lookEverywhere();
        await mark(Infinity);
        return events;
      });
    },
    async stop() {
      stopped = true;
      if (pollTimer) clearTimeout(pollTimer);
      if (markTimer) clearTimeout(markTimer);
      pollTimer = markTimer = null;
      while (running) await running;
      const deadline = Date.now() + STOP_MARKING_MS;
      try {
        while (unmarked.size > 0 && Date.now() < deadline) await mark(MARKS_PER_TURN);
      } catch (error) {
        log.warn({ err: error }, 'outbox marks left undone at stop; published again after start');
      }
    },
  };
}
