import { Queue } from 'bullmq';
import type { Caller } from '@sanad/auth';
import { ConsumerGroups, Queues, Topics, type PlacementRecordedV1 } from '@sanad/contracts';
import { createEventPublisher } from '@sanad/messaging';
import {
  placementRecordedEvent,
  servers,
  startTestService,
  testCaller,
  testKafka,
  waitFor,
  waitForGroupCaughtUp,
} from '@sanad/testing';
import type { FollowUpsView } from '../../src/application/get-follow-ups';
import { loadConfig } from '../../src/config';
import { startCheckinService } from '../../src/main';

const admin = testCaller('admin');

export type RunningCheckin = Awaited<ReturnType<typeof startCheckin>>;

/** The check-in service on the real servers, with topics, a database and queues of its own. */
export async function startCheckin() {
  const checkin = await startTestService('checkin', async (env) => {
    const service = await startCheckinService(loadConfig(env), (error) => {
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
    /** Publishes a fresh placement.recorded and waits until an admin sees its follow-up plan. */
    async publishRecorded(data?: Partial<PlacementRecordedV1['data']>) {
      const recorded = placementRecordedEvent(data);
      await publisher.publish([recorded]);
      await waitFor(() => followUps(recorded.data.placementId), { what: 'the plan' });
      return recorded;
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
