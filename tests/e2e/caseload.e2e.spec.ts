/**
 * Caseloads across processes: a programme manager moves a participant to another coach at the
 * placement service; placement.changed (coachId) reaches the check-in and alerting services, and
 * from then on every service shows the participant's placement to the new coach and answers the old
 * one 404, each deciding for itself. Each service runs in its own process, as built.
 */
import type { Caller } from '@sanad/auth';
import { createTestEmployer, testCaller, waitFor } from '@sanad/testing';
import { cleanUp, startServices, terminate, type Running } from './support/services';

describe('a caseload change followed by every service', () => {
  let services: Running[] = [];
  const programmeId = '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9e12';
  const oldCoach = testCaller('coach', { programmeIds: [programmeId] });
  const newCoach = testCaller('coach', { programmeIds: [programmeId] });
  const manager = testCaller('programme-manager', { programmeIds: [programmeId] });

  beforeAll(async () => {
    services = await startServices(['placement', 'checkin', 'alerting'], 26_000);
  });
  afterAll(() => cleanUp(services));

  it('moves the participant and their placement to the new coach in every service', async () => {
    const [placement, checkin, alerting] = services as [Running, Running, Running];
    const employer = await createTestEmployer(placement.api, oldCoach);
    const registered = await placement.api.post('/participants', oldCoach, {
      fullName: 'Maryam Al-Rawahi',
      preferredLanguage: 'en',
      programmeId,
      coachId: oldCoach.userId,
      consents: { followUp: true, employerContact: true, reportingByCategory: false },
    });
    expect(registered.status).toBe(201);
    const participantId = (registered.body.participant as { id: string }).id;
    const recorded = await placement.api.post('/placements', oldCoach, {
      participantId,
      employerId: employer.id,
      programmeId,
      coachId: oldCoach.userId,
      jobTitle: 'Library assistant',
      startDate: '2031-02-02',
      hoursPerWeek: 20,
      wage: { amount: 250, currency: 'OMR', period: 'month' },
    });
    expect(recorded.status).toBe(201);
    const placementId = (recorded.body.placement as { id: string }).id;
    // Confirmed by its coach: the check-in service plans the follow-ups then.
    const confirmed = await placement.api.post(
      `/placements/${placementId}/confirmation`,
      oldCoach,
      {
        version: 1,
        terms: {
          jobTitle: 'Library assistant',
          startDate: '2031-02-02',
          hoursPerWeek: 20,
          wage: { amount: 250, currency: 'OMR', period: 'month' },
        },
        accommodations: [],
      },
    );
    expect(confirmed.status).toBe(200);
    const planned = async (as: Caller) => {
      const res = await checkin.api.get(`/placements/${placementId}/follow-ups`, as);
      return res.status === 200 && (res.body.checkins as unknown[]).length > 0;
    };

    /** What each service answers `as` about the participant and their placement. */
    const answers = async (as: Caller) => ({
      participant: (await placement.api.get(`/participants/${participantId}`, as)).status,
      placement: (await placement.api.get(`/placements/${placementId}`, as)).status,
      followUps: (await checkin.api.get(`/placements/${placementId}/follow-ups`, as)).status,
      facts: (await alerting.api.get(`/placements/${placementId}/facts`, as)).status,
    });
    const all = (status: number) => ({
      participant: status,
      placement: status,
      followUps: status,
      facts: status,
    });

    await waitFor(
      async () => JSON.stringify(await answers(oldCoach)) === JSON.stringify(all(200)),
      { timeoutMs: 30_000, what: 'every service to show the placement to its coach' },
    );
    await waitFor(() => planned(oldCoach), {
      timeoutMs: 30_000,
      what: 'the confirmed placement planned, to its coach',
    });
    expect(await answers(newCoach)).toEqual(all(404));

    // The participant's version: the confirmation changed the placement, not the participant.
    const moved = await placement.api.put(`/participants/${participantId}/coach`, manager, {
      coachId: newCoach.userId,
      expectedVersion: 1,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.participant).toMatchObject({ coachId: newCoach.userId, version: 2 });

    await waitFor(
      async () => JSON.stringify(await answers(newCoach)) === JSON.stringify(all(200)),
      { timeoutMs: 30_000, what: 'every service to show the placement to the new coach' },
    );
    expect(await answers(oldCoach)).toEqual(all(404));
    expect(await planned(newCoach)).toBe(true);
    const caseload = await placement.api.get(`/participants?coachId=${newCoach.userId}`, manager);
    expect((caseload.body.participants as { id: string }[]).map((p) => p.id)).toEqual([
      participantId,
    ]);

    expect(await terminate(services)).toEqual([0, 0, 0]);
  });
});
