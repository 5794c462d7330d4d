/**
 * Consent across processes: a participant registered at the placement service without follow-up
 * consent is not asked by the check-in service once their placement is confirmed (the plan is made
 * then); a consent withdrawn later reaches every running placement's plan through
 * placement.consent-changed; erasure withdraws everything. Each service runs in its own process,
 * as built.
 */
import { createTestEmployer, testCaller, waitFor } from '@sanad/testing';
import { cleanUp, startServices, terminate, type Running } from './support/services';

interface Plan {
  consents: { followUp: boolean; employerContact: boolean; reportingByCategory: boolean } | null;
  checkins: { respondent: string; status: string; skipReason?: string }[];
}

describe('consents honoured from the placement service to the check-in service', () => {
  let services: Running[] = [];
  const programmeId = '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9d12';
  const coach = testCaller('coach', { programmeIds: [programmeId] });
  const manager = testCaller('programme-manager', { programmeIds: [programmeId] });

  beforeAll(async () => {
    services = await startServices(['placement', 'checkin'], 25_000);
  });
  afterAll(() => cleanUp(services));

  it('skips who may not be asked, passes later changes on, and erasure withdraws everything', async () => {
    const [placement, checkin] = services as [Running, Running];
    const employer = await createTestEmployer(placement.api, coach);
    const registered = await placement.api.post('/participants', coach, {
      fullName: 'Salim Al-Harthy',
      phone: '+96899887766',
      preferredLanguage: 'ar',
      programmeId,
      coachId: coach.userId,
      consents: { followUp: false, employerContact: true, reportingByCategory: false },
    });
    expect(registered.status).toBe(201);
    const participantId = (registered.body.participant as { id: string }).id;

    const record = async (startDate: string) => {
      const res = await placement.api.post('/placements', coach, {
        participantId,
        employerId: employer.id,
        programmeId,
        coachId: coach.userId,
        jobTitle: 'Warehouse assistant',
        startDate,
        hoursPerWeek: 30,
        wage: { amount: 320, currency: 'OMR', period: 'month' },
      });
      expect(res.status).toBe(201);
      const placementId = (res.body.placement as { id: string }).id;
      // The coach confirms the terms as recorded: the check-in service plans on the confirmation.
      const confirmed = await placement.api.post(`/placements/${placementId}/confirmation`, coach, {
        version: 1,
        terms: {
          jobTitle: 'Warehouse assistant',
          startDate,
          hoursPerWeek: 30,
          wage: { amount: 320, currency: 'OMR', period: 'month' },
        },
        accommodations: [],
      });
      expect(confirmed.status).toBe(200);
      return placementId;
    };
    const started = await record('2020-01-06');
    const future = await record('2031-01-06');
    const planOf = async (placementId: string) => {
      const res = await checkin.api.get(`/placements/${placementId}/follow-ups`, coach);
      return res.status === 200 ? (res.body as Plan) : undefined;
    };

    // Every check-in of 2020 fell due long ago, and its grace period is over: the ones that may be
    // asked were due and are missed now; the participant's were never asked.
    const settled = await waitFor(
      async () => {
        const plan = await planOf(started);
        return plan &&
          plan.checkins.length > 0 &&
          plan.checkins.every((c) => c.status === 'skipped' || c.status === 'missed')
          ? plan
          : undefined;
      },
      { timeoutMs: 30_000, what: 'every check-in of the placement that started in 2020 settled' },
    );
    const byRespondent = (respondent: string) =>
      new Set(settled.checkins.filter((c) => c.respondent === respondent).map((c) => c.status));
    expect(byRespondent('participant')).toEqual(new Set(['skipped']));
    expect(byRespondent('supervisor')).toEqual(new Set(['missed']));
    expect(byRespondent('coach')).toEqual(new Set(['missed']));
    expect(
      settled.checkins.filter((c) => c.respondent === 'participant').map((c) => c.skipReason),
    ).not.toContain(undefined);

    const changed = await placement.api.put(`/participants/${participantId}/consents`, coach, {
      employerContact: false,
    });
    expect(changed.status).toBe(200);
    for (const placementId of [started, future]) {
      await waitFor(async () => (await planOf(placementId))?.consents?.employerContact === false, {
        timeoutMs: 30_000,
        what: `placement ${placementId} to learn the withdrawn employer-contact consent`,
      });
    }

    const erased = await placement.api.post(`/participants/${participantId}/erasure`, manager, {
      mode: 'erase',
    });
    expect(erased.status).toBe(200);
    await waitFor(
      async () => {
        const consents = (await planOf(future))?.consents;
        return consents && !consents.followUp && !consents.employerContact;
      },
      { timeoutMs: 30_000, what: 'the erasure to withdraw every consent at the check-in service' },
    );

    const admin = testCaller('admin');
    const verify = await placement.api.get('/audit/verify', admin);
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.checked).toBeGreaterThanOrEqual(3);

    expect(await terminate(services)).toEqual([0, 0]);
  });
});
