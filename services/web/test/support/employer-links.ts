import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { Caller } from '@sanad/auth';
import {
  createTestEmployer,
  waitFor,
  type ApiClient,
  type ReceivedMail,
  type TestSmtpServer,
} from '@sanad/testing';

/** A port nobody listens on now, to give a server whose address another must know first. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestEmployerContacts {
  id: string;
  name: string;
  hrEmail: string;
  supervisors: { id: string; fullName: string }[];
}

/**
 * An employer with an HR contact (who gets the links by mail, at an address of its own) and two
 * supervisors: `createTestEmployer` with the contacts these tests choose among.
 */
export async function createEmployerWithContacts(
  api: ApiClient,
  caller: Caller,
  { language = 'en' as 'ar' | 'en', name = `Muscat Library ${randomUUID().slice(0, 8)}` } = {},
): Promise<TestEmployerContacts> {
  const hrEmail = `hr-${randomUUID()}@employer.test`;
  const employer = await createTestEmployer(api, caller, {
    name,
    contacts: [
      { role: 'hr', fullName: 'Maryam Al-Balushi', email: hrEmail, preferredLanguage: language },
      { role: 'supervisor', fullName: 'Aisha Al-Hinai', preferredLanguage: language },
      { role: 'supervisor', fullName: 'Khalid Al-Rawahi', preferredLanguage: language },
    ],
  });
  return {
    id: employer.id,
    name,
    hrEmail,
    supervisors: employer.contacts
      .filter((c) => c.role === 'supervisor')
      .map(({ id, fullName }) => ({ id, fullName })),
  };
}

/** Today as YYYY-MM-DD (UTC), well inside the service's window for a start date. */
export const todayIso = () => new Date().toISOString().slice(0, 10);

/** Records a placement with `coach` at the employer; the service mails the confirm link. */
export async function recordPlacementAt(
  api: ApiClient,
  coach: Caller,
  employerId: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; version: number; employerLink: { sent: boolean } }> {
  const res = await api.post('/placements', coach, {
    participantId: randomUUID(),
    employerId,
    programmeId: coach.programmeIds[0] ?? randomUUID(),
    coachId: coach.userId,
    jobTitle: 'Library assistant',
    startDate: todayIso(),
    hoursPerWeek: 20,
    wage: { amount: 300, currency: 'OMR', period: 'month' },
    ...fields,
  });
  if (res.status !== 201) {
    throw new Error(`POST /placements answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return { ...res.body.placement, employerLink: res.body.employerLink };
}

/** The `/e/<secret>` path of the link in a mail. */
export function linkPathIn(mail: ReceivedMail): string {
  const found = /\/e\/([\w-]{20,100})/.exec(mail.text);
  if (!found) throw new Error(`no employer link in the mail "${mail.subject}"`);
  return `/e/${found[1]}`;
}

/** The `n`th mail (0: the first) that reached `email`, waiting for it if it has not yet. */
export async function nthMailTo(
  smtp: TestSmtpServer,
  email: string,
  n: number,
  timeoutMs = 15_000,
): Promise<ReceivedMail> {
  return waitFor(
    async () => (await smtp.messages()).filter((m) => m.envelope.to.includes(email))[n],
    { timeoutMs, intervalMs: 50, what: `mail ${n + 1} to ${email}` },
  );
}
