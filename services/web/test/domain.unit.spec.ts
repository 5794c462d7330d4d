import { z } from 'zod';
import { passwordProblem } from '../src/domain/password-policy';
import { localPath } from '../src/domain/safe-redirect';
import { callerOf, mayChangeUser, navigationFor } from '../src/domain/user';
import { employerFieldOf } from '../src/http/employers.forms';
import { errorsOfService, formErrors, formErrorsFromService } from '../src/http/forms';
import { recordFieldOf } from '../src/http/placements-pages.forms';

const ADMIN = { id: 'a', role: 'admin' as const };

describe('passwords people can choose', () => {
  it.each([
    ['short', 'short pass', 'too-short'],
    ['long enough', 'a long enough password', null],
    ['Arabic, counted in characters not bytes', 'كلمة سر طويلة', null],
    ['a well-known one', 'Password1234', 'obvious'],
    ['one repeated character', 'aaaaaaaaaaaaaa', 'obvious'],
    ['the email in it', 'salma.hassan2026', 'contains-email'],
    ['too long to hash', 'x'.repeat(201), 'too-long'],
  ])('%s', (_case, password, problem) => {
    expect(passwordProblem(password, 'salma.hassan@example.org')).toBe(problem);
  });
});

describe('where a form sends people back to', () => {
  it.each([
    ['/admin/users?page=2', '/admin/users?page=2'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/ok\r\nSet-Cookie: x=1', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
  ])('%p goes to %p', (candidate, expected) => {
    expect(localPath(candidate)).toBe(expected);
  });
});

describe('who may change a user', () => {
  const change = { role: 'coach' as const, status: 'active' as const };
  it('an admin may change someone else', () => {
    expect(mayChangeUser(ADMIN, { id: 'b' }, change)).toBe('ok');
  });
  it('no one but an admin', () => {
    expect(mayChangeUser({ id: 'm', role: 'programme-manager' }, { id: 'b' }, change)).toBe(
      'not-admin',
    );
  });
  it('an admin may not demote or disable themselves (someone must remain to let others in)', () => {
    expect(mayChangeUser(ADMIN, { id: 'a' }, change)).toBe('self-demotion');
    expect(mayChangeUser(ADMIN, { id: 'a' }, { role: 'admin', status: 'disabled' })).toBe(
      'self-demotion',
    );
    expect(mayChangeUser(ADMIN, { id: 'a' }, { role: 'admin', status: 'active' })).toBe('ok');
  });
});

describe('what the services are told about a user', () => {
  it('ids and role only; an employer id only for an employer user', () => {
    const coach = {
      id: 'u',
      role: 'coach' as const,
      programmeIds: ['p'],
      employerId: 'e',
      email: 'x@y.z',
      displayName: 'X',
    };
    expect(callerOf(coach)).toEqual({
      userId: 'u',
      role: 'coach',
      programmeIds: ['p'],
      employerId: null,
    });
  });
  it('admins see the admin pages in the navigation; others do not', () => {
    expect(navigationFor('admin').map((i) => i.href)).toContain('/admin/users');
    for (const role of ['admin', 'coach', 'programme-manager', 'employer-user'] as const) {
      expect(navigationFor(role).map((i) => i.href)).toEqual(
        expect.arrayContaining(['/placements', '/employers']),
      );
    }
    for (const role of ['coach', 'programme-manager', 'employer-user'] as const) {
      expect(navigationFor(role).some((i) => i.href.startsWith('/admin'))).toBe(false);
    }
  });
});

describe('form errors', () => {
  const t = (key: string, params?: Record<string, unknown>) =>
    `${key}${params && Object.keys(params).length ? JSON.stringify(params) : ''}`;
  it('one message per field, in the person’s words, keyed for translation', () => {
    const schema = z.object({
      email: z.string().min(1, 'errors.emailRequired').pipe(z.email('errors.email')),
      name: z.string().min(2),
      roles: z.array(z.enum(['a', 'b'])),
    });
    const result = schema.safeParse({ email: '', name: 'x', roles: ['c'] });
    expect(result.success).toBe(false);
    expect(formErrors(result.error as z.ZodError, t)).toEqual([
      { field: 'email', message: 'errors.emailRequired{"min":1}' },
      { field: 'name', message: 'errors.tooShort{"min":2}' },
      { field: 'roles', message: 'errors.chooseOne' },
    ]);
  });
});

describe('a service’s refusal shown on the form', () => {
  it('puts each problem on its form field, once, in the person’s words', () => {
    const t = (key: string) => `t:${key}`;
    expect(
      formErrorsFromService(
        [{ path: 'email' }, { path: 'consents.followUp' }, { path: 'consents.employerContact' }],
        t,
      ),
    ).toEqual([
      { field: 'email', message: 't:errors.format' },
      { field: 'consents', message: 't:errors.format' },
    ]);
  });
});

describe('a page’s own error keys', () => {
  it('shows a key of an area (`placements.errors.x`) as given, like `errors.x`', () => {
    const t = (key: string) => `t:${key}`;
    const schema = z.object({
      jobTitle: z.string().min(1, 'placements.errors.jobTitle'),
      name: z.string().min(1, 'errors.nameRequired'),
      note: z.string().min(1, 'not a key'),
    });
    const result = schema.safeParse({ jobTitle: '', name: '', note: '' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formErrors(result.error, t).map((e) => e.message)).toEqual([
      't:placements.errors.jobTitle',
      't:errors.nameRequired',
      't:errors.tooShort',
    ]);
  });
});

describe('a service’s problems that name no visible field', () => {
  const t = (key: string) => `t:${key}`;

  it('puts them on a field the form shows, in the page’s language, once per field', () => {
    const problems = [
      { path: 'participantId', message: 'participant unknown' },
      { path: 'coachId', message: 'not the participant’s coach' },
      { path: 'wage.currency', message: 'رمز عملة' },
      { path: 'startDate', message: 'too far back' },
    ];
    expect(
      errorsOfService(problems, {
        fieldOf: recordFieldOf,
        fallback: (field) => t(`x.${field}`),
        locale: 'en',
      }),
    ).toEqual([
      { field: 'jobTitle', message: 'participant unknown' },
      { field: 'wageCurrency', message: 't:x.wageCurrency' },
      { field: 'startDate', message: 'too far back' },
    ]);
    expect(recordFieldOf('programmeId')).toBe('jobTitle');
    expect(recordFieldOf('employerId')).toBe('employerId');
    expect(recordFieldOf('body.wage.amount')).toBe('wageAmount');
    expect(recordFieldOf('accommodations.1')).toBe('accommodations');
  });

  it('on the employer form: the version on the name, a contact on its row', () => {
    expect(employerFieldOf('version', [0, 2])).toBe('name');
    expect(employerFieldOf('region', [0, 2])).toBe('region');
    expect(employerFieldOf('contacts.1.email', [0, 2])).toBe('contacts.2.email');
  });
});
