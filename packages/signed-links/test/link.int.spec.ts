import { createTestDatabase, type TestDatabase } from '@sanad/testing';
import { createLinkRepository, issueLink, type LinkRepository } from '../src';

const placementId = '5c1c0d7e-1111-4a4a-8b8b-123456789abc';

describe('signed links on the real MongoDB-compatible server', () => {
  let database: TestDatabase;
  let links: LinkRepository;
  const now = new Date();
  beforeAll(async () => {
    database = await createTestDatabase('links');
    links = createLinkRepository(database.db);
  });
  afterAll(() => database.close());

  const issue = async (maxUses: number, ttlDays = 14) => {
    const { secret, record } = issueLink(
      { placementId, purpose: 'confirm-placement', ttlDays, maxUses },
      now,
    );
    await links.save(record);
    return secret;
  };

  it('lets a single-use link be used once, however many try at the same moment', async () => {
    const secret = await issue(1);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => links.use(secret, 'confirm-placement', now)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.refusal)).toEqual(
      Array(11).fill('used-up'),
    );
    expect(await links.peek(secret, 'confirm-placement', now)).toEqual({
      ok: false,
      refusal: 'used-up',
    });
  });

  it('lets a three-use link be used three times', async () => {
    const secret = await issue(3);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => links.use(secret, 'confirm-placement', now)),
    );
    expect(
      results
        .filter((r) => r.ok)
        .map((r) => r.ok && r.use)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it('refuses a link that was replaced by a resend, and one for another purpose', async () => {
    const old = await issue(1);
    expect(await links.revokeAll(placementId, 'confirm-placement', now)).toBeGreaterThanOrEqual(1);
    const fresh = await issue(1);
    expect(await links.use(old, 'confirm-placement', now)).toEqual({
      ok: false,
      refusal: 'revoked',
    });
    expect(await links.use(fresh, 'report-change', now)).toEqual({
      ok: false,
      refusal: 'wrong-purpose',
    });
    expect((await links.use(fresh, 'confirm-placement', now)).ok).toBe(true);
  });

  it('refuses an unknown or expired link and keeps no secret in the database', async () => {
    const secret = await issue(1, 1);
    const tomorrow = new Date(now.getTime() + 86_400_000);
    expect(await links.use(secret, 'confirm-placement', tomorrow)).toEqual({
      ok: false,
      refusal: 'expired',
    });
    expect(await links.use('not-a-real-secret', 'confirm-placement', now)).toEqual({
      ok: false,
      refusal: 'unknown',
    });
    const stored = JSON.stringify(await database.db.collection('signed_links').find().toArray());
    expect(stored).not.toContain(secret);
  });
});
