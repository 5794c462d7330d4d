import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Caller } from '@sanad/auth';
import { Topics } from '@sanad/contracts';
import {
  apiClient,
  createTestEmployer,
  collectEvents,
  dropDatabases,
  serviceTestEnv,
  testCaller,
  testKafka,
  waitFor,
} from '@sanad/testing';
import { loadConfig } from '../../src/config';
import { startPlacementService } from '../../src/main';

const admin = testCaller('admin');

export type RunningPlacement = Awaited<ReturnType<typeof startPlacement>>;

/**
 * The placement service on the real servers, with topics and a database of its own, and a reader
 * of everything it publishes. Started by hand rather than with `startTestService`, because a test
 * kills it and starts it again (`kill`, `startAgain`).
 */
export async function startPlacement(settings: Record<string, string> = {}) {
  const env = { ...serviceTestEnv('placement'), ...settings };
  let service = await startPlacementService(loadConfig(env));
  const port = String(service.port);
  const api = apiClient(`http://127.0.0.1:${port}`, 'placement');
  const db = await mongoose.createConnection(env.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
  const published = await collectEvents(testKafka(), env.KAFKA_TOPIC_PREFIX + Topics.placement);
  const waiting = (collection: string) =>
    db.collection(collection).countDocuments({ 'outbox.0': { $exists: true } });

  return {
    api,
    /** Where the service answers (for routes without a token, such as the employer links). */
    url: `http://127.0.0.1:${port}`,
    /** The service's database. */
    db,
    /** The events of `type` about these placements (keys) published so far. */
    eventsOf: (type: string, keys: string[]) =>
      published.events.filter((m) => m.event.type === type && keys.includes(m.key ?? '')),
    /** The types of every event about one placement published so far, in the topic's order. */
    typesAbout: (key: string) =>
      published.events.filter((m) => m.key === key).map((m) => m.event.type),
    /** Waits until `eventsOf` knows every message now on the topic: what it shows then is final. */
    readAll: () => published.readAll(),
    /** Waits until no participant and no placement has an event waiting in its outbox. */
    async outboxesEmpty() {
      await waitFor(
        async () => (await waiting('participants')) === 0 && (await waiting('placements')) === 0,
        { what: 'every outbox to be empty' },
      );
    },
    /** Records a placement of the participant with `coach`, in the coach's programme; its id. */
    async recordPlacement(coach: Caller, participantId: string) {
      const res = await api.post('/placements', coach, {
        participantId,
        employerId: (await createTestEmployer(api, coach)).id,
        programmeId: coach.programmeIds[0],
        coachId: coach.userId,
        jobTitle: 'Archive clerk',
        startDate: '2026-10-01',
        hoursPerWeek: 25,
        wage: { amount: 300, currency: 'OMR', period: 'month' },
      });
      expect(res.status).toBe(201);
      return res.body.placement.id as string;
    },
    /** Stores an ended copy of a placement, as the service would (no route ends one yet); its id. */
    async endedCopyOf(placementId: string) {
      const ended = randomUUID();
      const placements = db.collection('placements');
      await placements.insertOne({
        ...(await placements.findOne({ _id: placementId as never }, { projection: { _id: 0 } })),
        _id: ended as never,
        status: 'ended',
        outbox: [],
      });
      return ended;
    },
    /** The audit entries about a subject, as an admin reads them. */
    auditAbout: async (subjectId: string) =>
      (await api.get(`/audit?subjectId=${subjectId}&limit=1000`, admin)).body.entries as {
        action: string;
        purpose: string;
        actor: { userId: string; role: string };
        subject: { type: string; id: string };
      }[],
    /** Stops the service alone, as when its process is killed. */
    kill: () => service.stop(),
    /** Starts the service again where it was: the same port, database and topics. */
    async startAgain() {
      service = await startPlacementService(loadConfig({ ...env, PORT: port }));
    },
    async stop() {
      await published.stop();
      await service.stop();
      await db.close();
      await dropDatabases([env.MONGO_DB]);
    },
  };
}
