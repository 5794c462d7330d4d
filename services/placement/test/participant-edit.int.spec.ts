import { randomUUID } from 'node:crypto';
import type { Caller } from '@sanad/auth';
import { testCaller } from '@sanad/testing';
import { startPlacement, type RunningPlacement } from './support/start-placement';

const programmeId = randomUUID();
const coach = testCaller('coach', { programmeIds: [programmeId] });
const manager = testCaller('programme-manager', { programmeIds: [programmeId] });

interface ParticipantBody {
  id: string;
  status: string;
  version: number;
  fullName?: string;
  phone?: string;
  email?: string;
  preferredLanguage?: string;
  disabilityCategory?: string;
  accommodationNeeds?: string;
  updatedAt?: string;
}

const consentsWith = (reportingByCategory: boolean) => ({
  followUp: true,
  employerContact: true,
  reportingByCategory,
});

describe('editing a participant on the real servers', () => {
  let placement: RunningPlacement;
  beforeAll(async () => {
    placement = await startPlacement();
  });
  afterAll(() => placement.stop());

  const register = async (over: Record<string, unknown> = {}) => {
    const res = await placement.api.post('/participants', coach, {
      fullName: 'Yusuf Al-Rawahi',
      phone: '+96891234567',
      email: 'yusuf@example.org',
      preferredLanguage: 'ar',
      accommodationNeeds: 'Flexible start time',
      programmeId,
      coachId: coach.userId,
      consents: consentsWith(false),
      ...over,
    });
    expect(res.status).toBe(201);
    return res.body.participant as ParticipantBody;
  };
  const edit = (id: string, body: Record<string, unknown>, as: Caller = coach) =>
    placement.api.put(`/participants/${id}`, as, body);
  const stored = async (id: string) =>
    (await placement.api.get(`/participants/${id}`, coach)).body.participant as ParticipantBody;
  const paths = (body: { error: { problems: { path: string }[] } }) =>
    body.error.problems.map((p) => p.path).sort();

  it('corrects the fields given, removes those given as null, keeps the rest; audited as update', async () => {
    const p = await register();
    const res = await edit(
      p.id,
      {
        version: 1,
        fullName: 'Yusuf Al Rawahi',
        phone: '+968 9876 5432',
        email: null,
        preferredLanguage: 'en',
      },
      manager,
    );
    expect(res.status).toBe(200);
    const edited = res.body.participant as ParticipantBody;
    expect(edited).toMatchObject({
      id: p.id,
      version: 2,
      fullName: 'Yusuf Al Rawahi',
      phone: '+96898765432',
      preferredLanguage: 'en',
      accommodationNeeds: 'Flexible start time',
    });
    expect(edited).not.toHaveProperty('email');
    expect(edited.updatedAt).not.toBe(p.updatedAt);
    expect(await stored(p.id)).toEqual(edited);
    const raw = await placement.db.collection('participants').findOne({ _id: p.id as never });
    expect(raw).not.toHaveProperty('email');

    const audit = await placement.auditAbout(p.id);
    expect(audit.filter((e) => e.action === 'update')).toEqual([
      expect.objectContaining({
        purpose: 'follow-up',
        actor: { userId: manager.userId, role: 'programme-manager' },
        subject: { type: 'participant', id: p.id },
      }),
    ]);
  });

  it('asked for what is stored, changes nothing (same version)', async () => {
    const p = await register();
    const res = await edit(p.id, { version: 1, fullName: p.fullName, phone: p.phone });
    expect(res.status).toBe(200);
    expect(res.body.participant).toEqual(p);
  });

  it('answers 409 STALE_VERSION for a version that is not current, changing nothing', async () => {
    const p = await register();
    expect((await edit(p.id, { version: 1, fullName: 'First' })).status).toBe(200);
    const stale = await edit(p.id, { version: 1, fullName: 'Second' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');
    expect(await stored(p.id)).toMatchObject({ fullName: 'First', version: 2 });
  });

  it('takes a disability category only with the reportingByCategory consent', async () => {
    const without = await register();
    const refused = await edit(without.id, { version: 1, disabilityCategory: 'hearing' });
    expect(refused.status).toBe(400);
    expect(paths(refused.body)).toEqual(['disabilityCategory']);
    expect(await stored(without.id)).toEqual(without);

    const consenting = await register({ consents: consentsWith(true) });
    const set = await edit(consenting.id, { version: 1, disabilityCategory: 'hearing' });
    expect(set.status).toBe(200);
    expect(set.body.participant).toMatchObject({ disabilityCategory: 'hearing', version: 2 });
    const removed = await edit(consenting.id, { version: 2, disabilityCategory: null });
    expect(removed.status).toBe(200);
    expect(removed.body.participant).not.toHaveProperty('disabilityCategory');
  });

  it.each([
    ['nothing to change', { version: 1 }, ['(body)']],
    ['no version', { fullName: 'X' }, ['version']],
    ['an empty name', { version: 1, fullName: ' ' }, ['fullName']],
    ['a name removed', { version: 1, fullName: null }, ['fullName']],
    ['a phone that is not international', { version: 1, phone: '91234567' }, ['phone']],
    ['a bad email', { version: 1, email: 'yusuf@' }, ['email']],
    ['an unknown language', { version: 1, preferredLanguage: 'fr' }, ['preferredLanguage']],
    ['an unknown category', { version: 1, disabilityCategory: 'blind' }, ['disabilityCategory']],
    ['an unknown field', { version: 1, code: 'P-AAAAAA' }, ['code']],
    ['consents (their own route)', { version: 1, consents: consentsWith(true) }, ['consents']],
  ])(
    'answers 400 naming the field for %s, changing and auditing nothing',
    async (_c, body, expected) => {
      const p = await register();
      const res = await edit(p.id, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(expected);
      expect(await stored(p.id)).toEqual(p);
      expect((await placement.auditAbout(p.id)).filter((e) => e.action === 'update')).toEqual([]);
    },
  );

  it('answers 409 for a pseudonymised participant', async () => {
    const p = await register();
    const gone = await placement.api.post(`/participants/${p.id}/erasure`, manager, {
      mode: 'pseudonymise',
    });
    expect(gone.status).toBe(200);
    const res = await edit(p.id, { version: gone.body.participant.version, fullName: 'Back' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
    expect(await stored(p.id)).not.toHaveProperty('fullName');
  });

  it('answers 409 for an erased participant', async () => {
    const p = await register();
    const gone = await placement.api.post(`/participants/${p.id}/erasure`, manager, {
      mode: 'erase',
    });
    expect(gone.status).toBe(200);
    const res = await edit(p.id, { version: gone.body.participant.version, fullName: 'Back' });
    expect(res.status).toBe(409);
  });

  it('hides the participant (404) from those who may not see them', async () => {
    const p = await register();
    const missing = await edit(randomUUID(), { version: 1, fullName: 'X' });
    expect(missing.status).toBe(404);
    for (const stranger of [
      testCaller('coach', { programmeIds: [programmeId] }),
      testCaller('programme-manager'),
      testCaller('employer-user'),
    ]) {
      const res = await edit(p.id, { version: 1, fullName: 'X' }, stranger);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(missing.body);
    }
    expect(await stored(p.id)).toEqual(p);
  });
});
