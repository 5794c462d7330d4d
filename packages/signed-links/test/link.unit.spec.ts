import { checkLink, hashSecret, issueLink } from '../src';

const placementId = '5c1c0d7e-1111-4a4a-8b8b-123456789abc';
const now = new Date('2026-11-23T10:00:00Z');

describe('signed links', () => {
  it('stores only a hash of a long random secret', () => {
    const { secret, record } = issueLink(
      { placementId, purpose: 'confirm-placement', ttlDays: 14, maxUses: 1 },
      now,
    );
    expect(secret.length).toBeGreaterThanOrEqual(43); // 32 random bytes
    expect(record.hash).toBe(hashSecret(secret));
    expect(JSON.stringify(record)).not.toContain(secret);
    expect(record.expiresAt.toISOString()).toBe('2026-12-07T10:00:00.000Z');
  });

  it('gives two links two different secrets', () => {
    const a = issueLink(
      { placementId, purpose: 'confirm-placement', ttlDays: 14, maxUses: 1 },
      now,
    );
    const b = issueLink(
      { placementId, purpose: 'confirm-placement', ttlDays: 14, maxUses: 1 },
      now,
    );
    expect(a.secret).not.toBe(b.secret);
  });

  it('refuses nonsense lifetimes and use counts', () => {
    expect(() =>
      issueLink({ placementId, purpose: 'report-change', ttlDays: 0, maxUses: 1 }, now),
    ).toThrow(RangeError);
    expect(() =>
      issueLink({ placementId, purpose: 'report-change', ttlDays: 1, maxUses: 0 }, now),
    ).toThrow(RangeError);
  });

  it('says why a link cannot be used', () => {
    const { record } = issueLink(
      { placementId, purpose: 'confirm-placement', ttlDays: 14, maxUses: 1 },
      now,
    );
    const later = (days: number) => new Date(now.getTime() + days * 86_400_000);
    expect(checkLink(record, 'confirm-placement', later(13.9)).ok).toBe(true);
    expect(checkLink(record, 'confirm-placement', later(14))).toEqual({
      ok: false,
      refusal: 'expired',
    });
    expect(checkLink(record, 'report-change', now)).toEqual({
      ok: false,
      refusal: 'wrong-purpose',
    });
    expect(checkLink({ ...record, revokedAt: now }, 'confirm-placement', now)).toEqual({
      ok: false,
      refusal: 'revoked',
    });
    expect(checkLink(null, 'confirm-placement', now)).toEqual({ ok: false, refusal: 'unknown' });
  });
});
