import { AuditEntry, AuditInput, AuditInputError, fieldProblems } from '../src';

const valid = {
  actor: { userId: '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c13', role: 'coach' },
  action: 'read',
  subject: { type: 'participant', id: '0b0e6f5e-1c1d-4a55-9f3e-6a4f7e2d9c10' },
  purpose: 'follow-up',
};

const problemsOf = (input: unknown) => {
  const result = AuditInput.safeParse(input);
  return result.success ? [] : fieldProblems(result.error);
};

describe('what an audit record may hold', () => {
  it('takes ids and fixed words, with or without a correlation id', () => {
    expect(AuditInput.safeParse(valid).success).toBe(true);
    expect(AuditInput.safeParse({ ...valid, correlationId: 'a1b2-c3.d4_e5' }).success).toBe(true);
    expect(
      AuditInput.safeParse({ ...valid, actor: { userId: null, role: 'system' } }).success,
    ).toBe(true);
  });

  it('refuses unknown fields, at any level, naming each', () => {
    expect(problemsOf({ ...valid, participantName: 'Fatima Al-Balushi' })).toEqual([
      { path: 'participantName', message: expect.stringContaining('unknown field') },
    ]);
    expect(
      problemsOf({ ...valid, actor: { ...valid.actor, email: 'coach@example.org' } }).map(
        (p) => p.path,
      ),
    ).toEqual(['actor.email']);
    expect(
      problemsOf({ ...valid, subject: { ...valid.subject, phone: '+968 9000 0000' } }).map(
        (p) => p.path,
      ),
    ).toEqual(['subject.phone']);
  });

  it('refuses free text where a fixed word or an id belongs', () => {
    expect(problemsOf({ ...valid, purpose: 'called Fatima about her new shift' })[0]?.path).toBe(
      'purpose',
    );
    expect(problemsOf({ ...valid, actor: { ...valid.actor, role: 'Fatima' } })[0]?.path).toBe(
      'actor.role',
    );
    expect(problemsOf({ ...valid, subject: { ...valid.subject, id: 'fatima' } })[0]?.path).toBe(
      'subject.id',
    );
    expect(problemsOf({ ...valid, correlationId: 'fatima@example.org' })[0]?.path).toBe(
      'correlationId',
    );
  });

  it('requires the user id of a person, not of a signed link or the system', () => {
    expect(problemsOf({ ...valid, actor: { userId: null, role: 'coach' } })).toEqual([
      { path: 'actor.userId', message: expect.stringContaining('userId is required') },
    ]);
    expect(problemsOf({ ...valid, actor: { userId: null, role: 'signed-link' } })).toEqual([]);
  });

  it('names the wrong fields in the error message', () => {
    const error = new AuditInputError(problemsOf({ ...valid, participantName: 'x', purpose: 'y' }));
    expect(error.message).toMatch(/^audit record refused: /);
    expect(error.message).toContain('participantName: unknown field');
    expect(error.message).toContain('purpose: ');
  });

  it('keeps stored records strict too', () => {
    const entry = {
      seq: 1,
      at: new Date(),
      service: 'placement',
      ...valid,
      correlationId: null,
      prevHash: '0'.repeat(64),
      hash: 'a'.repeat(64),
    };
    expect(AuditEntry.safeParse(entry).success).toBe(true);
    expect(AuditEntry.safeParse({ ...entry, note: 'x' }).success).toBe(false);
    expect(AuditEntry.safeParse({ ...entry, seq: 0 }).success).toBe(false);
    expect(AuditEntry.safeParse({ ...entry, service: 'Placement Service' }).success).toBe(false);
  });
});
