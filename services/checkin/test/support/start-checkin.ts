import { Queue } from 'bullmq';
import type { Caller } from '@sanad/auth';
import {
  ConsumerGroups,
  Queues,
  Topics,
  type Envelope,
  type PlacementRecordedV1,
} from '@sanad/contracts';
import { createEventPublisher } from '@sanad/messaging';
import {
  placementConfirmedEvent,
  placementRecordedEvent,
  readTopic,
  servers,
  startTestService,
  testCaller,
  testKafka,
  waitFor,
  waitForGroupCaughtUp,
  type ReadMessage,
} from '@sanad/testing';
import type { FollowUpsView } from '../../src/application/get-follow-ups';
import { loadConfig } from '../../src/config';
import { startCheckinService } from '../../src/main';

const admin = testCaller('admin');

export type RunningCheckin = Awaited<ReturnType<typeof startCheckin>>;

/** The check-in service on the real servers, with topics, a database and queues of its own. */
export async function startCheckin({
  placementUrl,
}: {
  /** A placement service to mail check-in links through; none: links are not mailed. */
  placementUrl?: string;
} = {}) {
  const checkin = await startTestService('checkin', async (env) => {
    const settings: Record<string, string | undefined> = { ...env, RECONCILE_EVERY_MS: '3600000' };
    if (placementUrl) settings.PLACEMENT_URL = placementUrl;
    else delete settings.CHECKIN_TOKEN_PRIVATE_KEY;
    const service = await startCheckinService(loadConfig(settings), (error) => {
      throw error;
    });
    await Promise.all([service.consumer.joined, service.consentsConsumer.joined]);
    return service;
  });
  const { api, env } = checkin;
  const prefix = env.KAFKA_TOPIC_PREFIX;
  const queue = new Queue(Queues.followUpDue, {
    connection: { url: servers.redisUrl },
    prefix: env.QUEUE_PREFIX,
  });
  const kafka = testKafka();
  const publisher = createEventPublisher(kafka, { topicPrefix: prefix });
  await publisher.connect();
  const followUps = async (placementId: string) => {
    const res = await api.get(`/placements/${placementId}/follow-ups`, admin);
    return res.status === 200 ? (res.body as FollowUpsView) : undefined;
  };

  return {
    ...checkin,
    /** The prefix of the test's own topics. */
    prefix,
    /** Connected, on the test's own topics. */
    publisher,
    /** The service's follow-up-due queue. */
    queue,
    /** The status `caller` gets at GET /placements/:placementId/follow-ups. */
    statusAs: async (placementId: string, caller: Caller) =>
      (await api.get(`/placements/${placementId}/follow-ups`, caller)).status,
    /** The follow-ups an admin gets for the placement; undefined unless 200. */
    followUps,
    /**
     * Publishes a fresh placement.recorded and waits until an admin sees its plan (awaiting the
     * placement's confirmation: no check-ins yet).
     */
    async publishRecorded(data?: Partial<PlacementRecordedV1['data']>) {
      const recorded = placementRecordedEvent(data);
      await publisher.publish([recorded]);
      await waitFor(() => followUps(recorded.data.placementId), { what: 'the plan' });
      return recorded;
    },
    /**
     * Publishes a fresh placement.recorded and its placement.confirmed, and waits until an admin
     * sees its check-ins planned. Resolves both events.
     */
    async follow(
      data?: Partial<PlacementRecordedV1['data']>,
      confirmation?: Parameters<typeof placementConfirmedEvent>[1],
    ) {
      const recorded = placementRecordedEvent(data);
      const confirmed = placementConfirmedEvent(recorded, confirmation);
      await publisher.publish([recorded, confirmed]);
      const plan = await waitFor(
        async () => {
          const p = await followUps(recorded.data.placementId);
          return p && p.status !== 'awaiting-confirmation' ? p : undefined;
        },
        { what: 'the plan made on confirmation' },
      );
      return { recorded, confirmed, plan };
    },
    /**
     * The check-in events about a placement on the service's topic, read until `until` holds of
     * them, then `settleMs` more (to see that no more come).
     */
    async events(
      placementId: string,
      until: (events: Envelope[]) => boolean,
      settleMs = 0,
    ): Promise<Envelope[]> {
      const mine = (messages: ReadMessage[]) =>
        messages
          .filter((m) => m.key === placementId)
          .map((m) => JSON.parse(m.value ?? '{}') as Envelope);
      const read = await readTopic(kafka, prefix + Topics.checkin, {
        until: (messages) => until(mine(messages)),
        settleMs,
      });
      return mine(read);
    },
    /** Waits until both consumers have committed every message now on the placement topic. */
    async caughtUp() {
      for (const group of [
        ConsumerGroups.checkinPlacements,
        ConsumerGroups.checkinPlacementConsents,
      ]) {
        await waitForGroupCaughtUp(kafka, prefix + group, prefix + Topics.placement);
      }
    },
    async stop() {
      await checkin.stop();
      await publisher.disconnect();
      await queue.obliterate({ force: true });
      await queue.close();
    },
  };
}
