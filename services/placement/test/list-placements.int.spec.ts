import { randomUUID } from 'node:crypto';
import type { Caller } from '@sanad/auth';
import {
  apiClient,
  bearerFor,
  createTestEmployer,
  dropDatabases,
  serviceTestEnv,
  testCaller,
} from '@sanad/testing';
import { loadConfig } from '../src/config';
import { startPlacementService } from '../src/main';

interface Listed {
  id: string;
  participantId: string;
  coachId: string;
  employerId: string;
  programmeId: string;
  startDate: string;
  status: string;
  recordedAt: string;
}

/** Two programmes, two coaches, two employers: one placement per combination, three rounds. */
const world = {
  programmes: [randomUUID(), randomUUID()] as const,
  coaches: [randomUUID(), randomUUID()] as const,
  /** Made through the API before the placements (a placement needs a known employer). */
  employers: ['', ''] as [string, string],
};
const START_DATES = ['2026-09-01', '2026-10-01', '2026-11-01'] as const;
const admin = testCaller('admin');

describe('GET /placements: the newest placements the caller may see', () => {
  const env = serviceTestEnv('placement');
  let service: Awaited<ReturnType<typeof startPlacementService>>;
  let url: string;
  const created: Listed[] = [];

  const list = async (query: string, as: Caller) => {
    const res = await fetch(`${url}/placements${query}`, {
      headers: { authorization: await bearerFor(as, 'placement') },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const ids = async (query: string, as: Caller) => {
    const { status, body } = await list(query, as);
    expect(status).toBe(200);
    return (body.placements as Listed[]).map((p) => p.id);
  };
  /** What the service must answer: newest first, then by id. */
  const expected = (keep: (p: Listed) => boolean, limit = 50) =>
    created
      .filter(keep)
      .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt) || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((p) => p.id);

  beforeAll(async () => {
    service = await startPlacementService(loadConfig(env));
    url = `http://127.0.0.1:${service.port}`;
    const api = apiClient(url, 'placement');
    for (const i of [0, 1]) world.employers[i] = (await createTestEmployer(api, admin)).id;
    for (let round = 0; round < 3; round++) {
      for (const programmeId of world.programmes) {
        for (const [i, coachId] of world.coaches.entries()) {
          const res = await fetch(`${url}/placements`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: await bearerFor(admin, 'placement'),
            },
            body: JSON.stringify({
              participantId: randomUUID(),
              employerId: world.employers[i],
              programmeId,
              coachId,
              jobTitle: 'Packer',
              startDate: START_DATES[round],
              hoursPerWeek: 20,
              wage: { amount: 200, currency: 'OMR', period: 'month' },
            }),
          });
          expect(res.status).toBe(201);
          created.push(((await res.json()) as { placement: Listed }).placement);
        }
      }
    }
  });
  afterAll(async () => {
    await service.stop();
    await dropDatabases([env.MONGO_DB]);
  });

  it('gives an admin every placement, newest first then by id, 50 unless told', async () => {
    expect(await ids('', admin)).toEqual(expected(() => true));
    expect(await ids('?limit=5', admin)).toEqual(expected(() => true, 5));
    expect(await ids('?limit=1', admin)).toEqual(expected(() => true, 1));
  });

  it('gives a coach their caseload only', async () => {
    const coach = testCaller('coach', {
      userId: world.coaches[0],
      programmeIds: [...world.programmes],
    });
    expect(await ids('', coach)).toEqual(expected((p) => p.coachId === world.coaches[0]));
  });

  it('gives a programme manager their programmes only, and a filter narrows within them', async () => {
    const manager = testCaller('programme-manager', { programmeIds: [world.programmes[1]] });
    expect(await ids('', manager)).toEqual(expected((p) => p.programmeId === world.programmes[1]));
    expect(await ids(`?programmeId=${world.programmes[0]}`, manager)).toEqual([]);
    expect(await ids(`?programmeId=${world.programmes[1]}&limit=2`, manager)).toEqual(
      expected((p) => p.programmeId === world.programmes[1], 2),
    );
    const both = testCaller('programme-manager', { programmeIds: [...world.programmes] });
    expect(await ids('', both)).toEqual(expected(() => true));
  });

  it('gives an employer user their organisation only', async () => {
    const employer = testCaller('employer-user', { employerId: world.employers[1] });
    expect(await ids('', employer)).toEqual(expected((p) => p.employerId === world.employers[1]));
  });

  it('gives nothing to a manager of no programme or an employer user of no employer', async () => {
    expect(await ids('', testCaller('programme-manager', { programmeIds: [] }))).toEqual([]);
    expect(await ids('', testCaller('employer-user', { employerId: null }))).toEqual([]);
    expect(await ids('', testCaller('coach'))).toEqual([]);
  });

  it('filters by status', async () => {
    expect(await ids('?status=recorded', admin)).toEqual(expected(() => true));
    expect(await ids('?status=ended', admin)).toEqual([]);
    expect(await ids(`?status=recorded&programmeId=${world.programmes[0]}`, admin)).toEqual(
      expected((p) => p.programmeId === world.programmes[0]),
    );
  });

  it('filters by coach, employer and start dates, within what the caller may see', async () => {
    const [coachA] = world.coaches;
    const [, employerB] = world.employers;
    expect(await ids(`?coachId=${coachA}`, admin)).toEqual(expected((p) => p.coachId === coachA));
    expect(await ids(`?employerId=${employerB}`, admin)).toEqual(
      expected((p) => p.employerId === employerB),
    );
    expect(await ids('?startFrom=2026-10-01', admin)).toEqual(
      expected((p) => p.startDate >= '2026-10-01'),
    );
    expect(await ids('?startFrom=2026-09-15&startTo=2026-10-15', admin)).toEqual(
      expected((p) => p.startDate === '2026-10-01'),
    );
    const otherCoach = testCaller('coach', { userId: world.coaches[1] });
    expect(await ids(`?coachId=${coachA}`, otherCoach)).toEqual([]);
  });

  it('pages through everything with nextCursor, each placement once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { status, body } = await list(query, admin);
      expect(status).toBe(200);
      seen.push(...(body.placements as Listed[]).map((p) => p.id));
      cursor = body.nextCursor as string | null;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(expected(() => true));
    expect(pages).toBe(Math.ceil(created.length / 5));
  });

  it("lists one participant's placements, still only those the caller may see", async () => {
    const one = created[4] as Listed;
    expect(await ids(`?participantId=${one.participantId}`, admin)).toEqual([one.id]);
    const theirCoach = testCaller('coach', { userId: one.coachId });
    expect(await ids(`?participantId=${one.participantId}`, theirCoach)).toEqual([one.id]);
    const otherCoach = testCaller('coach');
    expect(await ids(`?participantId=${one.participantId}`, otherCoach)).toEqual([]);
  });

  it.each([
    ['a malformed participant id', '?participantId=x', 'query.participantId'],
    ['a limit of 0', '?limit=0', 'query.limit'],
    ['a limit over 100', '?limit=101', 'query.limit'],
    ['a cursor this list never gave', '?cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
    ['a start date that is not a day', '?startFrom=2026-13-01', 'query.startFrom'],
    ['a limit that is not a number', '?limit=ten', 'query.limit'],
    ['a negative limit', '?limit=-1', 'query.limit'],
    ['a limit given twice', '?limit=1&limit=2', 'query.limit'],
    ['an unknown status', '?status=lost', 'query.status'],
    ['a malformed programme id', '?programmeId=p1', 'query.programmeId'],
    ['an unknown parameter', '?coachId=x', 'query.coachId'],
  ])('answers 400 naming the parameter for %s', async (_case, query, path) => {
    const { status, body } = await list(query, admin);
    expect(status).toBe(400);
    const error = body.error as { code: string; problems: { path: string }[] };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.problems.map((p) => p.path)).toEqual([path]);
  });
});
