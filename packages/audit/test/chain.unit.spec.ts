import {
  canonicalJson,
  GENESIS_HASH,
  hashEntry,
  sealEntry,
  verifyChain,
  type AuditEntry,
} from '../src';

const coach = '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c13';
const participant = '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c10';
const otherId = '5c1c0d7e-1111-4a4a-8b8b-123456789abc';

/** A valid chain of n records, seq 1..n. */
function buildChain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const entry = sealEntry({
      seq,
      at: new Date(Date.UTC(2026, 10, 23, 10, 0, seq)),
      service: 'placement',
      actor: { userId: coach, role: 'coach' },
      action: 'read',
      subject: { type: 'participant', id: participant },
      purpose: 'follow-up',
      correlationId: seq % 2 ? `req-${seq}` : null,
      prevHash,
    });
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
}

/** The chain with record `seq` replaced by `change(record)`. */
const withChanged = (chain: AuditEntry[], seq: number, change: (e: AuditEntry) => AuditEntry) =>
  chain.map((e) => (e.seq === seq ? change({ ...e }) : e));

async function* slowly<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) {
    await new Promise((resolve) => setImmediate(resolve));
    yield item;
  }
}

describe('canonical serialisation and hashing', () => {
  it('sorts keys at every level and writes dates as ISO strings', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: new Date(Date.UTC(2026, 0, 2)) } })).toBe(
      '{"a":{"c":"2026-01-02T00:00:00.000Z","d":[true,null]},"b":1}',
    );
    expect(canonicalJson({ a: 1, skipped: undefined })).toBe('{"a":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: new Date('nope') })).toThrow(TypeError);
  });

  it('gives the same hash whatever the order of the fields, and ignores `hash` itself', () => {
    const [first] = buildChain(1) as [AuditEntry];
    const reordered = Object.fromEntries(Object.entries(first).reverse()) as AuditEntry;
    expect(hashEntry(reordered)).toBe(first.hash);
    expect(hashEntry({ ...first, hash: 'f'.repeat(64) })).toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.prevHash).toBe(GENESIS_HASH);
  });

  it('hashes seq and prevHash with the rest', () => {
    const [first] = buildChain(1) as [AuditEntry];
    expect(hashEntry({ ...first, seq: 2 })).not.toBe(first.hash);
    expect(hashEntry({ ...first, prevHash: '1'.repeat(64) })).not.toBe(first.hash);
    expect(hashEntry({ ...first, at: new Date(first.at.getTime() + 1) })).not.toBe(first.hash);
  });
});

describe('verifyChain', () => {
  it('finds an intact chain intact and returns its last record', async () => {
    const chain = buildChain(6);
    expect(await verifyChain(chain)).toEqual({
      ok: true,
      checked: 6,
      head: { seq: 6, hash: chain[5]!.hash },
    });
    expect(await verifyChain(slowly(chain))).toMatchObject({ ok: true, checked: 6 });
    expect(await verifyChain([])).toEqual({ ok: true, checked: 0, head: null });
  });

  it.each<[string, (e: AuditEntry) => AuditEntry]>([
    ['actor.userId', (e) => ({ ...e, actor: { ...e.actor, userId: otherId } })],
    ['actor.role', (e) => ({ ...e, actor: { ...e.actor, role: 'admin' } })],
    ['purpose', (e) => ({ ...e, purpose: 'reporting' })],
    ['at', (e) => ({ ...e, at: new Date(e.at.getTime() + 1) })],
    ['action', (e) => ({ ...e, action: 'export' })],
    ['subject.id', (e) => ({ ...e, subject: { ...e.subject, id: otherId } })],
    ['subject.type', (e) => ({ ...e, subject: { ...e.subject, type: 'placement' } })],
    ['service', (e) => ({ ...e, service: 'checkin' })],
    ['correlationId', (e) => ({ ...e, correlationId: 'another' })],
    ['hash', (e) => ({ ...e, hash: 'a'.repeat(64) })],
  ])('detects a change of %s at that record', async (_field, change) => {
    const result = await verifyChain(withChanged(buildChain(6), 3, change));
    expect(result).toEqual({
      ok: false,
      checked: 2,
      firstBroken: { seq: 3, reason: 'hash-mismatch' },
    });
  });

  it('detects a changed prevHash at that record', async () => {
    const result = await verifyChain(
      withChanged(buildChain(6), 3, (e) => ({ ...e, prevHash: GENESIS_HASH })),
    );
    expect(result).toMatchObject({
      ok: false,
      firstBroken: { seq: 3, reason: 'prev-hash-mismatch' },
    });
  });

  it('detects a deleted record at the gap', async () => {
    const chain = buildChain(6);
    expect(await verifyChain(chain.filter((e) => e.seq !== 4))).toEqual({
      ok: false,
      checked: 3,
      firstBroken: { seq: 4, reason: 'missing-seq' },
    });
    expect(await verifyChain(chain.slice(1))).toMatchObject({
      firstBroken: { seq: 1, reason: 'missing-seq' },
    });
  });

  it('detects a changed record that was re-hashed at the NEXT record', async () => {
    const tampered = withChanged(buildChain(6), 3, (e) =>
      sealEntry({ ...e, actor: { userId: otherId, role: 'admin' } }),
    );
    expect(hashEntry(tampered[2]!)).toBe(tampered[2]!.hash); // its own hash matches
    expect(await verifyChain(tampered)).toEqual({
      ok: false,
      checked: 3,
      firstBroken: { seq: 4, reason: 'prev-hash-mismatch' },
    });
  });

  it('cannot see a whole tail rewritten, but the last hash then differs', async () => {
    const chain = buildChain(6);
    const rewritten: AuditEntry[] = chain.slice(0, 2);
    for (const e of chain.slice(2)) {
      rewritten.push(sealEntry({ ...e, purpose: 'reporting', prevHash: rewritten.at(-1)!.hash }));
    }
    const result = await verifyChain(rewritten);
    expect(result.ok).toBe(true);
    expect(result.ok && result.head?.hash).not.toBe(chain[5]!.hash);
  });

  it('detects records given out of order', async () => {
    const [a, b, c, d, e] = buildChain(5) as [
      AuditEntry,
      AuditEntry,
      AuditEntry,
      AuditEntry,
      AuditEntry,
    ];
    expect(await verifyChain([a, b, d, c, e])).toMatchObject({
      ok: false,
      checked: 2,
      firstBroken: { seq: 3, reason: 'missing-seq' },
    });
    expect(await verifyChain([a, b, b, c])).toMatchObject({
      checked: 2,
      firstBroken: { seq: 2, reason: 'out-of-order' },
    });
  });

  it('detects two records that swapped places but kept their seqs', async () => {
    const chain = buildChain(5);
    const { seq: _3, ...third } = chain[2]!;
    const { seq: _4, ...fourth } = chain[3]!;
    const swapped = [...chain.slice(0, 2), { ...fourth, seq: 3 }, { ...third, seq: 4 }, chain[4]];
    expect(await verifyChain(swapped)).toMatchObject({
      checked: 2,
      firstBroken: { seq: 3, reason: 'prev-hash-mismatch' },
    });
  });

  it('calls a record with an unknown or missing field malformed', async () => {
    const chain = buildChain(4);
    const extra = chain.map((e) => (e.seq === 2 ? { ...e, participantName: 'Fatima' } : e));
    expect(await verifyChain(extra)).toEqual({
      ok: false,
      checked: 1,
      firstBroken: { seq: 2, reason: 'malformed' },
    });
    const missing = chain.map((e) => {
      if (e.seq !== 3) return e;
      const { purpose: _purpose, ...rest } = e;
      return rest;
    });
    expect(await verifyChain(missing)).toMatchObject({
      firstBroken: { seq: 3, reason: 'malformed' },
    });
    expect(await verifyChain([chain[0], 'not a record'])).toMatchObject({
      firstBroken: { seq: 2, reason: 'malformed' },
    });
  });
});
