import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { loadConfig } from '@sanad/placement-service/dist/config';
import { startPlacementService } from '@sanad/placement-service/dist/main';
import { bearerFor, serviceTestEnv, testCaller } from '@sanad/testing';
(async () => {
  const env = serviceTestEnv('placement');
  const service = await startPlacementService(loadConfig(env));
  const coach = testCaller('coach');
  const auth = await bearerFor(coach, 'placement');
  const post = async (body: unknown, lang: string) => {
    const res = await fetch(`http://127.0.0.1:${service.port}/placements`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json', 'accept-language': lang }, body: JSON.stringify(body) });
    console.log(lang, res.status, res.headers.get('content-language'), JSON.stringify(await res.json()));
  };
  const good = { participantId: randomUUID(), employerId: randomUUID(), programmeId: coach.programmeIds[0] ?? randomUUID(), coachId: coach.userId, jobTitle: 'Library assistant', startDate: '2026-09-01', hoursPerWeek: 24, wage: { amount: 280, currency: 'OMR', period: 'month' } };
  await post({ ...good, hoursPerWeek: 'x', wage: { amount: 1, currency: 'omr', period: 'day' }, extra: 1, jobTitle: undefined }, 'ar');
  await post(good, 'ar');
  await post({ ...good, startDate: '2020-01-01' }, 'ar, en;q=0.5');
  await post({ ...good, startDate: '2020-01-01' }, 'en');
  await service.stop();
  const m = await MongoClient.connect(process.env.MONGO_URL!); await m.db(env.MONGO_DB).dropDatabase(); await m.close();
  process.exit(0);
})();
