import type { Caller } from '@sanad/auth';
import { ConsumerGroups, Topics, type PlacementRecordedV1 } from '@sanad/contracts';
import { createEventPublisher } from '@sanad/messaging';
import {
  placementRecordedEvent,
  startTestService,
  testCaller,
  testKafka,
  waitFor,
  waitForGroupCaughtUp,
} from '@sanad/testing';
import { loadConfig } from '../../src/config';
import type { PlacementFacts } from '../../src/domain/placement-facts';
import { startAlertingService } from '../../src/main';

const admin = testCaller('admin');

export type RunningAlerting = Awaited<ReturnType<typeof startAlerting>>;

/** The alerting service on the real servers, with topics and a database of its own. */
export async function startAlerting() {
  const alerting = await startTestService('alerting', async (env) => {
    const service = await startAlertingService(loadConfig(env), (error) => {
      throw error;
    });
    await Promise.all(service.consumers.map((c) => c.joined));
    return service;
  });
  const { api } = alerting;
  const prefix = alerting.env.KAFKA_TOPIC_PREFIX;
  const kafka = testKafka();
  const publisher = createEventPublisher(kafka, { topicPrefix: prefix });
  await publisher.connect();
  const facts = async (placementId: string) => {
    const res = await api.get(`/placements/${placementId}/facts`, admin);
    return res.status === 200 ? (res.body.facts as PlacementFacts) : undefined;
  };

  return {
    ...alerting,
    /** The prefix of the test's own topics. */
    prefix,
    /** Connected, on the test's own topics. */
    publisher,
    /** The status `caller` gets at GET /placements/:placementId/facts. */
    statusAs: async (placementId: string, caller: Caller) =>
      (await api.get(`/placements/${placementId}/facts`, caller)).status,
    /** The facts an admin gets about the placement; undefined unless 200. */
    facts,
    /** Publishes a fresh placement.recorded and waits until an admin sees its facts. */
    async publishRecorded(data?: Partial<PlacementRecordedV1['data']>) {
      const recorded = placementRecordedEvent(data);
      await publisher.publish([recorded]);
      await waitFor(() => facts(recorded.data.placementId), { what: 'the facts of the placement' });
      return recorded;
    },
    /** Waits until both consumers have committed every message now on their topics. */
    async caughtUp() {
      await waitForGroupCaughtUp(
        kafka,
        prefix + ConsumerGroups.alertingPlacements,
        prefix + Topics.placement,
      );
      await waitForGroupCaughtUp(
        kafka,
        prefix + ConsumerGroups.alertingCheckins,
        prefix + Topics.checkin,
      );
    },
    async stop() {
      await alerting.stop();
      await publisher.disconnect();
    },
  };
}
