import { randomUUID } from 'node:crypto';
import { testCaller, type TestEmployer, createTestEmployer } from '@sanad/testing';
import { startPlacement, type RunningPlacement } from './support/start-placement';

/** The calendar day `offset` days from today (UTC): the service checks dates against today. */
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const START = day(-22);

/**
 * Confirm, change and end on the real servers: each answer, what is stored, and the event that
 * leaves through the placement's outbox to the topic, once. Refusals change nothing and publish
 * nothing.
 */
describe('a placement after it is recorded: confirm, change, end', () => {
  let placement: RunningPlacement;
  let employer: TestEmployer;
  const programmeId = randomUUID();
  const coach = testCaller('coach', { programmeIds: [programmeId] });

  beforeAll(async () => {
    placement = await startPlacement();
    employer = await createTestEmployer(placement.api, coach);
  });
  afterAll(() => placement.stop());

  const record = async (over: Record<string, unknown> = {}) => {
    const res = await placement.api.post('/placements', coach, {
      participantId: randomUUID(),
      employerId: employer.id,
      programmeId,
      coachId: coach.userId,
      jobTitle: 'Archive clerk',
      startDate: START,
      hoursPerWeek: 30,
      wage: { amount: 320, currency: 'OMR', period: 'month' },
      ...over,
    });
    expect(res.status).toBe(201);
    return res.body.placement as { id: string; version: number };
  };
  const supervisor = () => employer.contacts.find((c) => c.role === 'supervisor')!;
  const stored = async (id: string) =>
    (await placement.api.get(`/placements/${id}`, coach)).body.placement;
  const confirmBody = (version: number, over: Record<string, unknown> = {}) => ({
    version,
    terms: {
      jobTitle: 'Archive clerk',
      startDate: START,
      hoursPerWeek: 25,
      wage: { amount: 320, currency: 'OMR', period: 'month' },
    },
    accommodations: ['screen-reader'],
    supervisorId: supervisor().id,
    ...over,
  });

  it('confirms with corrected hours, a supervisor and accommodations: stored and published once', async () => {
    const { id } = await record();
    const res = await placement.api.post(`/placements/${id}/confirmation`, coach, confirmBody(1));
    expect(res.status).toBe(200);
    expect(res.body.placement).toMatchObject({
      id,
      status: 'confirmed',
      version: 2,
      hoursPerWeek: 25,
      supervisorId: supervisor().id,
      accommodations: ['screen-reader'],
    });
    expect(res.body.placement.confirmedAt).toEqual(expect.any(String));
    await placement.outboxesEmpty();
    await placement.readAll();
    const events = placement.eventsOf('placement.confirmed', [id]);
    expect(events).toHaveLength(1);
    expect(events[0]!.event.data).toMatchObject({
      placementId: id,
      terms: { hoursPerWeek: 25 },
      accommodations: ['screen-reader'],
      confirmedBy: 'coach',
    });
  });

  it('reports a change with before and after, then the end; an ended placement takes no more', async () => {
    const { id } = await record();
    await placement.api.post(`/placements/${id}/confirmation`, coach, confirmBody(1));
    const changed = await placement.api.post(`/placements/${id}/changes`, coach, {
      version: 2,
      effectiveDate: day(8),
      hoursPerWeek: 15,
      wage: { amount: 200, currency: 'OMR', period: 'month' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.placement).toMatchObject({ version: 3, hoursPerWeek: 15 });

    const ended = await placement.api.post(`/placements/${id}/ending`, coach, {
      version: 3,
      endDate: day(22),
      reason: 'contract-ended',
      initiatedBy: 'employer',
    });
    expect(ended.status).toBe(200);
    expect(ended.body.placement).toMatchObject({
      status: 'ended',
      version: 4,
      ending: { endDate: day(22), reason: 'contract-ended', initiatedBy: 'employer' },
    });

    const again = await placement.api.post(`/placements/${id}/changes`, coach, {
      version: 4,
      effectiveDate: day(27),
      hoursPerWeek: 10,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');

    await placement.outboxesEmpty();
    await placement.readAll();
    const [change] = placement.eventsOf('placement.changed', [id]);
    expect(change!.event.data).toEqual({
      placementId: id,
      effectiveDate: day(8),
      changes: [
        { field: 'hoursPerWeek', before: 25, after: 15 },
        {
          field: 'wage',
          before: { amount: 320, currency: 'OMR', period: 'month' },
          after: { amount: 200, currency: 'OMR', period: 'month' },
        },
      ],
    });
    expect(placement.eventsOf('placement.ended', [id])).toHaveLength(1);
    // in order: recorded, confirmed, changed, ended
    const order = placement.typesAbout(id);
    expect(order).toEqual([
      'placement.recorded',
      'placement.confirmed',
      'placement.changed',
      'placement.ended',
    ]);
  });

  it('keeps the supervisor recorded when the confirmation names none, and audits each change', async () => {
    const { id } = await record({ supervisorId: supervisor().id });
    const { supervisorId: _none, ...withoutSupervisor } = confirmBody(1);
    const confirmed = await placement.api.post(
      `/placements/${id}/confirmation`,
      coach,
      withoutSupervisor,
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.placement.supervisorId).toBe(supervisor().id);
    const audit = await placement.auditAbout(id);
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'update',
        actor: { userId: coach.userId, role: 'coach' },
        subject: { type: 'placement', id },
      }),
    );
  });

  it('refuses an Idempotency-Key used before for another change (409), and does not make it', async () => {
    const { id } = await record();
    const key = `key-${randomUUID()}`;
    const first = await placement.api.post(
      `/placements/${id}/changes`,
      coach,
      { version: 1, effectiveDate: day(-13), hoursPerWeek: 28 },
      { 'idempotency-key': key },
    );
    expect(first.status).toBe(200);
    const other = await placement.api.post(
      `/placements/${id}/ending`,
      coach,
      { version: 2, endDate: day(-1), reason: 'resigned', initiatedBy: 'participant' },
      { 'idempotency-key': key },
    );
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('CONFLICT');
    expect(await stored(id)).toMatchObject({ status: 'recorded', version: 2, hoursPerWeek: 28 });
  });

  it('answers a stale version with 409 STALE_VERSION and changes nothing', async () => {
    const { id } = await record();
    const first = await placement.api.post(`/placements/${id}/changes`, coach, {
      version: 1,
      effectiveDate: day(-13),
      hoursPerWeek: 28,
    });
    expect(first.status).toBe(200);
    const stale = await placement.api.post(`/placements/${id}/changes`, coach, {
      version: 1,
      effectiveDate: day(-13),
      hoursPerWeek: 12,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    expect(await stored(id)).toMatchObject({ version: 2, hoursPerWeek: 28 });
  });

  it('makes one change of a double submission with the same Idempotency-Key', async () => {
    const { id } = await record();
    const key = `confirm-${randomUUID()}`;
    const [a, b] = await Promise.all([
      placement.api.post(`/placements/${id}/confirmation`, coach, confirmBody(1), {
        'idempotency-key': key,
      }),
      placement.api.post(`/placements/${id}/confirmation`, coach, confirmBody(1), {
        'idempotency-key': key,
      }),
    ]);
    // one of them confirms, the other answers what it made
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body.placement).toEqual(a.body.placement);
    const retry = await placement.api.post(
      `/placements/${id}/confirmation`,
      coach,
      confirmBody(1),
      {
        'idempotency-key': key,
      },
    );
    expect(retry.status).toBe(200);
    expect(retry.body.placement).toMatchObject({ status: 'confirmed', version: 2 });
    await placement.outboxesEmpty();
    await placement.readAll();
    expect(placement.eventsOf('placement.confirmed', [id])).toHaveLength(1);
  });

  it.each([
    ['hours over 80', { hoursPerWeek: 81 }, 'hoursPerWeek'],
    ['hours under 1', { hoursPerWeek: 0 }, 'hoursPerWeek'],
    ['a negative wage', { wage: { amount: -1, currency: 'OMR', period: 'month' } }, 'wage.amount'],
    [
      'a currency that is not ISO',
      { wage: { amount: 1, currency: 'rial', period: 'month' } },
      'wage.currency',
    ],
    ['a start date years ahead', { startDate: day(400) }, 'startDate'],
    ['a start date two years back', { startDate: day(-400) }, 'startDate'],
    ['an unknown employer', { employerId: randomUUID() }, 'employerId'],
    ['a supervisor not of the employer', { supervisorId: randomUUID() }, 'supervisorId'],
  ])('refuses to record %s: 400 naming the field, nothing stored', async (_what, over, path) => {
    const participantId = randomUUID();
    const res = await placement.api.post('/placements', coach, {
      participantId,
      employerId: employer.id,
      programmeId,
      coachId: coach.userId,
      jobTitle: 'Archive clerk',
      startDate: START,
      hoursPerWeek: 30,
      wage: { amount: 320, currency: 'OMR', period: 'month' },
      ...over,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.problems.map((p: { path: string }) => p.path)).toEqual([path]);
    expect(await placement.db.collection('placements').countDocuments({ participantId })).toBe(0);
  });

  it.each([
    [
      '/confirmation',
      { ...confirmBodyShape(), terms: { ...confirmBodyShape().terms, hoursPerWeek: 99 } },
      'terms.hoursPerWeek',
    ],
    ['/changes', { version: 1, effectiveDate: day(-13) }, 'changes'],
    ['/changes', { version: 1, effectiveDate: day(-53), hoursPerWeek: 20 }, 'effectiveDate'],
    [
      '/ending',
      { version: 1, endDate: day(-53), reason: 'resigned', initiatedBy: 'participant' },
      'endDate',
    ],
    [
      '/ending',
      { version: 1, endDate: day(-3), reason: 'bored', initiatedBy: 'participant' },
      'reason',
    ],
  ])(
    'refuses a wrong %s body (case %#): 400 naming the field, the placement unchanged',
    async (route, body, path) => {
      const { id } = await record();
      const res = await placement.api.post(`/placements/${id}${route}`, coach, body);
      expect(res.status).toBe(400);
      expect(res.body.error.problems.map((p: { path: string }) => p.path)).toEqual([path]);
      expect(await stored(id)).toMatchObject({ version: 1, status: 'recorded', hoursPerWeek: 30 });
    },
  );

  it('words each refusal in the language asked for, the field path and code unchanged', async () => {
    const body = {
      participantId: randomUUID(),
      employerId: employer.id,
      programmeId,
      coachId: coach.userId,
      jobTitle: 'Archive clerk',
      startDate: day(400),
      hoursPerWeek: 90,
      wage: { amount: 320, currency: 'OMR', period: 'month' },
    };
    const english = await placement.api.post('/placements', coach, body);
    const arabic = await placement.api.post('/placements', coach, body, {
      'accept-language': 'ar',
    });
    expect(arabic.status).toBe(400);
    expect(arabic.headers.get('content-language')).toBe('ar');
    const [hours] = arabic.body.error.problems as { path: string; code: string; message: string }[];
    expect(hours).toMatchObject({ path: 'hoursPerWeek', code: 'too_big' });
    expect(hours!.message).toMatch(/[\u0600-\u06ff]/);
    expect(english.body.error.problems[0].message).not.toMatch(/[\u0600-\u06ff]/);

    // a rule of the domain (the start-date window), once the fields are right
    const window = await placement.api.post(
      '/placements',
      coach,
      { ...body, hoursPerWeek: 30 },
      { 'accept-language': 'ar' },
    );
    expect(window.body.error.problems).toEqual([
      expect.objectContaining({ path: 'startDate', code: 'start-date-window' }),
    ]);
    expect(window.body.error.problems[0].message).toContain('يجب أن يكون تاريخ البدء بين');
  });

  it('lets the employer user of the placement confirm it, and no other employer user', async () => {
    const { id } = await record();
    const other = testCaller('employer-user', { employerId: randomUUID() });
    const theirs = testCaller('employer-user', { employerId: employer.id });
    const hidden = await placement.api.post(
      `/placements/${id}/confirmation`,
      other,
      confirmBody(1),
    );
    expect(hidden.status).toBe(404);
    const done = await placement.api.post(`/placements/${id}/confirmation`, theirs, confirmBody(1));
    expect(done.status).toBe(200);
    await placement.outboxesEmpty();
    await placement.readAll();
    expect(placement.eventsOf('placement.confirmed', [id])[0]!.event.data).toMatchObject({
      confirmedBy: 'employer-user',
    });
  });
});

/** A valid confirmation body's shape, for the table of wrong ones. */
function confirmBodyShape() {
  return {
    version: 1,
    terms: {
      jobTitle: 'Archive clerk',
      startDate: START,
      hoursPerWeek: 25,
      wage: { amount: 320, currency: 'OMR', period: 'month' },
    },
    accommodations: [],
  };
}
