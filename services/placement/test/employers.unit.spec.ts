import { randomUUID } from 'node:crypto';
import type { Caller } from '@sanad/auth';
import { AppError } from '@sanad/errors';
import { testCaller } from '@sanad/testing';
import {
  employerIdFor,
  employerVisibilityFor,
  maySeeEmployer,
} from '../src/application/manage-employers';
import {
  confirmationContactOf,
  createEmployer,
  MAX_CONTACTS,
  sameEmployer,
  supervisorsOf,
  updateEmployer,
  type ContactInput,
  type CreateEmployer,
  type Employer,
} from '../src/domain/employer';

const t0 = new Date('2026-03-01T08:00:00.000Z');
const t1 = new Date('2026-04-01T08:00:00.000Z');

/** Ids c1, c2, ... in order, so that a test can name the contacts it made. */
const counter = () => {
  let n = 0;
  return () => `c${++n}`;
};

const hr = (over: Partial<ContactInput> = {}): ContactInput => ({
  role: 'hr',
  fullName: 'Salim HR',
  email: 'hr@example.com',
  phone: '+96824123456',
  preferredLanguage: 'ar',
  ...over,
});
const supervisor = (over: Partial<ContactInput> = {}): ContactInput => ({
  role: 'supervisor',
  fullName: 'Mariam Supervisor',
  email: 'mariam@example.com',
  phone: null,
  preferredLanguage: 'en',
  ...over,
});

const command = (over: Partial<CreateEmployer> = {}): CreateEmployer => ({
  name: 'Muscat Logistics',
  sector: 'logistics',
  region: 'muscat',
  contacts: [hr(), supervisor()],
  ...over,
});
const create = (over: Partial<CreateEmployer> = {}): Employer =>
  createEmployer(command(over), { id: 'e1', now: t0, newId: counter() });

const validationPaths = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    return ((error as AppError).details.problems as { path: string }[]).map((p) => p.path);
  }
  throw new Error('expected a validation error');
};

describe('recording an employer', () => {
  it('gives every contact an id, absent email and phone as null, at version 1', () => {
    const e = create({ contacts: [hr({ email: undefined, phone: undefined }), supervisor()] });
    expect(e).toEqual({
      id: 'e1',
      name: 'Muscat Logistics',
      sector: 'logistics',
      region: 'muscat',
      contacts: [
        {
          id: 'c1',
          role: 'hr',
          fullName: 'Salim HR',
          email: null,
          phone: null,
          preferredLanguage: 'ar',
        },
        {
          id: 'c2',
          role: 'supervisor',
          fullName: 'Mariam Supervisor',
          email: 'mariam@example.com',
          phone: null,
          preferredLanguage: 'en',
        },
      ],
      version: 1,
      createdAt: t0.toISOString(),
      updatedAt: t0.toISOString(),
    });
  });

  it.each([
    ['no contact', []],
    ['too many contacts', Array.from({ length: MAX_CONTACTS + 1 }, () => hr())],
  ])('refuses %s, naming contacts', (_case, contacts) => {
    expect(validationPaths(() => create({ contacts }))).toEqual(['contacts']);
  });

  it('knows a repeated creation: same substance whatever the contact ids, else not', () => {
    const e = create();
    expect(sameEmployer(e, command())).toBe(true);
    expect(sameEmployer(e, command({ name: 'Other' }))).toBe(false);
    expect(sameEmployer(e, command({ region: 'dhofar' }))).toBe(false);
    expect(sameEmployer(e, command({ contacts: [hr()] }))).toBe(false);
    expect(sameEmployer(e, command({ contacts: [hr({ phone: null }), supervisor()] }))).toBe(false);
    // An email left out and an email given as null are the same thing.
    const noEmail = create({ contacts: [hr({ email: null })] });
    expect(sameEmployer(noEmail, command({ contacts: [hr({ email: undefined })] }))).toBe(true);
  });
});

describe('updating an employer', () => {
  const update = (e: Employer, over: Partial<Parameters<typeof updateEmployer>[1]> = {}) =>
    updateEmployer(
      e,
      {
        version: e.version,
        name: e.name,
        sector: e.sector,
        region: e.region,
        contacts: e.contacts,
        ...over,
      },
      { now: t1, newId: () => 'new' },
    );

  it('keeps contacts named by id, gives new ones an id, drops those left out; version + 1', () => {
    const e = create();
    const [first] = e.contacts;
    const { employer, changed } = update(e, {
      name: 'Muscat Logistics LLC',
      contacts: [{ ...first!, phone: '+96899999999' }, supervisor({ fullName: 'New Supervisor' })],
    });
    expect(changed).toBe(true);
    expect(employer.version).toBe(2);
    expect(employer.updatedAt).toBe(t1.toISOString());
    expect(employer.createdAt).toBe(t0.toISOString());
    expect(employer.name).toBe('Muscat Logistics LLC');
    expect(employer.contacts.map((c) => [c.id, c.fullName, c.phone])).toEqual([
      ['c1', 'Salim HR', '+96899999999'],
      ['new', 'New Supervisor', null],
    ]);
  });

  it('changes nothing (no new version) when asked for what is stored', () => {
    const e = create();
    expect(update(e)).toEqual({ employer: e, changed: false });
  });

  it('reorders contacts as a change', () => {
    const e = create();
    const { changed } = update(e, { contacts: [...e.contacts].reverse() });
    expect(changed).toBe(true);
  });

  it('refuses a stale version with STALE_VERSION', () => {
    const e = create();
    expect(() => update(e, { version: 2 })).toThrow(
      expect.objectContaining({ code: 'STALE_VERSION' }),
    );
  });

  it('refuses a contact id not of this employer, or named twice, naming the field', () => {
    const e = create();
    const [first] = e.contacts;
    expect(validationPaths(() => update(e, { contacts: [{ ...hr(), id: randomUUID() }] }))).toEqual(
      ['contacts.0.id'],
    );
    expect(validationPaths(() => update(e, { contacts: [first!, first!] }))).toEqual([
      'contacts.1.id',
    ]);
    expect(validationPaths(() => update(e, { contacts: [] }))).toEqual(['contacts']);
  });
});

describe('whom to reach at an employer', () => {
  it('mails the first HR contact with an email', () => {
    const e = create({
      contacts: [
        supervisor(),
        hr({ fullName: 'No mail', email: null }),
        hr({ fullName: 'Mail', email: 'a@example.com' }),
        hr({ fullName: 'Mail too', email: 'b@example.com' }),
      ],
    });
    expect(confirmationContactOf(e)?.fullName).toBe('Mail');
  });

  it('else the first contact with an email, else nobody', () => {
    const e = create({
      contacts: [
        hr({ email: null }),
        supervisor({ fullName: 'S1', email: null }),
        supervisor({ fullName: 'S2', email: 's2@example.com' }),
      ],
    });
    expect(confirmationContactOf(e)?.fullName).toBe('S2');
    expect(confirmationContactOf(create({ contacts: [hr({ email: null })] }))).toBeNull();
  });

  it('lists the supervisors a placement may name', () => {
    const e = create({
      contacts: [supervisor({ fullName: 'S1' }), hr(), supervisor({ fullName: 'S2' })],
    });
    expect(supervisorsOf(e).map((c) => [c.id, c.fullName])).toEqual([
      ['c1', 'S1'],
      ['c3', 'S2'],
    ]);
    expect(supervisorsOf(create({ contacts: [hr()] }))).toEqual([]);
  });
});

describe('who sees which employer', () => {
  const employerId = randomUUID();
  const own: Caller = testCaller('employer-user', { employerId });

  it.each(['admin', 'programme-manager', 'coach'] as const)('%s sees every employer', (role) => {
    const caller = testCaller(role);
    expect(maySeeEmployer(caller, employerId)).toBe(true);
    expect(employerVisibilityFor(caller)).toEqual({ kind: 'all' });
  });

  it('an employer user sees their own only; one without an employer, none', () => {
    expect(maySeeEmployer(own, employerId)).toBe(true);
    expect(maySeeEmployer(own, randomUUID())).toBe(false);
    expect(employerVisibilityFor(own)).toEqual({ kind: 'only', employerIds: [employerId] });
    const none = testCaller('employer-user', { employerId: null });
    expect(maySeeEmployer(none, employerId)).toBe(false);
    expect(employerVisibilityFor(none)).toEqual({ kind: 'only', employerIds: [] });
  });

  it('an Idempotency-Key names one employer per caller', () => {
    const [a, b] = [randomUUID(), randomUUID()];
    expect(employerIdFor(a, 'key-12345')).toBe(employerIdFor(a, 'key-12345'));
    expect(employerIdFor(a, 'key-12345')).not.toBe(employerIdFor(b, 'key-12345'));
  });
});
