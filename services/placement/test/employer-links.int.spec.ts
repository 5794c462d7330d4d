import { createHash, randomUUID } from 'node:crypto';
import {
  createTestEmployer,
  startTestSmtpServer,
  testCaller,
  testEmployerBody,
  type ReceivedMail,
  type TestEmployer,
  type TestSmtpServer,
} from '@sanad/testing';
import { startPlacement, type RunningPlacement } from './support/start-placement';

const WEB = 'http://127.0.0.1:4999';

/** What the link routes answer, as loosely as the tests read it. */
interface LinkAnswer {
  purpose?: string;
  placement?: Record<string, unknown>;
  employer?: { id: string; name: string; supervisors: { id: string; fullName: string }[] };
  participant?: { fullName: string | null };
  employerLink?: Record<string, unknown> | null;
  error: { code: string; reason?: string; problems: { path: string }[] };
}
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const START = day(-10);

/**
 * The employer's signed links on the real servers, with mail delivered to a real SMTP server in
 * its own process: the link in the received mail opens the form, confirms, and the link for later
 * changes arrives in a second mail. Used, revoked, expired and unknown links answer 410 with the
 * reason, and change nothing.
 */
describe('employer links by mail', () => {
  let smtp: TestSmtpServer;
  let placement: RunningPlacement;
  let employer: TestEmployer;
  const programmeId = randomUUID();
  const coach = testCaller('coach', { programmeIds: [programmeId] });
  const HR = 'hr@archives.employer.test';

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    placement = await startPlacement({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Sanad <no-reply@sanad.test>',
      WEB_BASE_URL: WEB,
    });
    employer = await createTestEmployer(placement.api, coach);
  });
  afterAll(async () => {
    await placement.stop();
    await smtp.stop();
  });

  const register = async (consents = { followUp: true, employerContact: true }) => {
    const res = await placement.api.post('/participants', coach, {
      fullName: 'Aisha Al-Rawahi',
      preferredLanguage: 'ar',
      programmeId,
      coachId: coach.userId,
      consents: { ...consents, reportingByCategory: false },
    });
    expect(res.status).toBe(201);
    return res.body.participant.id as string;
  };
  const record = async (participantId: string, employerId = employer.id) => {
    const res = await placement.api.post('/placements', coach, {
      participantId,
      employerId,
      programmeId,
      coachId: coach.userId,
      jobTitle: `Archive clerk ${randomUUID().slice(0, 8)}`,
      startDate: START,
      hoursPerWeek: 30,
      wage: { amount: 320, currency: 'OMR', period: 'month' },
    });
    expect(res.status).toBe(201);
    return res.body as {
      placement: { id: string; jobTitle: string; version: number };
      employerLink: Record<string, unknown>;
    };
  };
  /** The secret of the link in a received mail (its text part), checked to point at the web app. */
  const secretIn = (mail: ReceivedMail) => {
    const match = new RegExp(`${WEB}/e/([\\w-]+)`).exec(mail.text);
    if (!match) throw new Error(`no link in the mail: ${mail.text}`);
    return match[1] as string;
  };
  /** The mail about this job whose link is none of `seen` (a later one). */
  const mailAbout = (jobTitle: string, seen: string[] = []) =>
    smtp.waitForMessage(
      (m) => m.to.includes(HR) && m.text.includes(jobTitle) && !seen.includes(secretIn(m)),
    );
  const link = (secret: string) => ({
    open: () => fetch(`${placement.url}/employer-link`, { headers: { 'x-link-secret': secret } }),
    post: (route: string, body: object, key?: string) =>
      fetch(`${placement.url}/employer-link/${route}`, {
        method: 'POST',
        headers: {
          'x-link-secret': secret,
          'content-type': 'application/json',
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: JSON.stringify(body),
      }),
  });
  /** The terms as recorded, hours corrected; the job title stays what the mails are found by. */
  const confirmation = (version: number, hoursPerWeek = 24, jobTitle = 'Archive clerk') => ({
    version,
    terms: {
      jobTitle,
      startDate: START,
      hoursPerWeek,
      wage: { amount: 320, currency: 'OMR', period: 'month' },
    },
    accommodations: ['screen-reader'],
  });

  it('mails the HR contact a link that opens the form, confirms, and mails the link for later changes', async () => {
    const participantId = await register();
    const { placement: recorded, employerLink } = await record(participantId);
    const hr = employer.contacts.find((c) => c.role === 'hr')!;
    expect(employerLink).toMatchObject({
      sent: true,
      purpose: 'confirm-placement',
      contactId: hr.id,
    });
    const expiresInDays = (Date.parse(employerLink.expiresAt as string) - Date.now()) / 86_400_000;
    expect(expiresInDays).toBeGreaterThan(13.9);
    expect(expiresInDays).toBeLessThanOrEqual(14);

    const mail = await mailAbout(recorded.jobTitle);
    expect(mail.subject).toContain('Muscat Public Archives');
    expect(mail.html).toContain(`${WEB}/e/`);
    const secret = secretIn(mail);

    const opened = await link(secret).open();
    expect(opened.status).toBe(200);
    expect(opened.headers.get('cache-control')).toBe('no-store');
    const form = (await opened.json()) as LinkAnswer;
    expect(form).toMatchObject({
      purpose: 'confirm-placement',
      placement: { id: recorded.id, status: 'recorded', hoursPerWeek: 30 },
      employer: { id: employer.id, name: 'Muscat Public Archives' },
      participant: { fullName: 'Aisha Al-Rawahi' },
    });
    expect(form.employer?.supervisors).toEqual([
      { id: expect.any(String), fullName: 'Salim Al-Harthi' },
    ]);
    // the read of the participant's name is audited as the link holder's
    const audit = await placement.auditAbout(participantId);
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'read', actor: { userId: null, role: 'signed-link' } }),
    );

    const confirmed = await link(secret).post(
      'confirmation',
      confirmation(1, 24, recorded.jobTitle),
      `c-${randomUUID()}`,
    );
    expect(confirmed.status).toBe(200);
    const answer = (await confirmed.json()) as LinkAnswer;
    expect(answer.placement).toMatchObject({ status: 'confirmed', hoursPerWeek: 24, version: 2 });
    expect(answer.employerLink).toMatchObject({ sent: true, purpose: 'report-change' });

    const reportMail = await mailAbout(recorded.jobTitle, [secret]);
    const reportSecret = secretIn(reportMail);
    expect(reportSecret).not.toBe(secret);

    // the confirmation link has done its work
    const again = await link(secret).open();
    expect(again.status).toBe(410);
    expect(((await again.json()) as LinkAnswer).error).toMatchObject({
      code: 'LINK_REFUSED',
      reason: 'used-up',
    });

    // the report link reports a change and then the end; after that it is used up too
    const report = link(reportSecret);
    expect(((await (await report.open()).json()) as LinkAnswer).purpose).toBe('report-change');
    const changed = await report.post('changes', {
      version: 2,
      effectiveDate: day(1),
      hoursPerWeek: 18,
    });
    expect(changed.status).toBe(200);
    const ended = await report.post('ending', {
      version: 3,
      endDate: day(2),
      reason: 'resigned',
      initiatedBy: 'participant',
    });
    expect(ended.status).toBe(200);
    expect(((await ended.json()) as LinkAnswer).placement).toMatchObject({
      status: 'ended',
      version: 4,
    });
    expect((await report.open()).status).toBe(410);

    await placement.outboxesEmpty();
    await placement.readAll();
    expect(placement.typesAbout(recorded.id)).toEqual([
      'placement.recorded',
      'placement.confirmed',
      'placement.changed',
      'placement.ended',
    ]);
    expect(placement.eventsOf('placement.confirmed', [recorded.id])[0]!.event.data).toMatchObject({
      confirmedBy: 'employer-link',
    });
  });

  it('answers a double submission of the confirmation once, and its retry as the first', async () => {
    const { placement: recorded } = await record(await register());
    const secret = secretIn(await mailAbout(recorded.jobTitle));
    const key = `c-${randomUUID()}`;
    const [first, twin] = await Promise.all([
      link(secret).post('confirmation', confirmation(1), key),
      link(secret).post('confirmation', confirmation(1), key),
    ]);
    expect([first.status, twin.status]).toEqual([200, 200]);
    const retry = await link(secret).post('confirmation', confirmation(1), key);
    expect(retry.status).toBe(200);
    const repeated = (await retry.json()) as LinkAnswer;
    expect(repeated.placement).toMatchObject({ status: 'confirmed', version: 2 });
    expect(repeated.employerLink).toBeNull();
    // without the key, a second confirmation is a used link
    expect((await link(secret).post('confirmation', confirmation(2))).status).toBe(410);
    await placement.outboxesEmpty();
    await placement.readAll();
    expect(placement.eventsOf('placement.confirmed', [recorded.id])).toHaveLength(1);
  });

  it('stops a link once the participant withdraws consent to contact the employer', async () => {
    const participantId = await register();
    const { placement: recorded } = await record(participantId);
    const secret = secretIn(await mailAbout(recorded.jobTitle));
    expect((await link(secret).open()).status).toBe(200);
    const withdrawn = await placement.api.put(`/participants/${participantId}/consents`, coach, {
      employerContact: false,
    });
    expect(withdrawn.status).toBe(200);
    const opened = await link(secret).open();
    expect(opened.status).toBe(410);
    expect(((await opened.json()) as LinkAnswer).error.reason).toBe('revoked');
    expect((await link(secret).post('confirmation', confirmation(1))).status).toBe(410);
  });

  it('leaves exactly one live link after two resends at once; confirming by API mails the report link', async () => {
    const { placement: recorded } = await record(await register());
    const first = secretIn(await mailAbout(recorded.jobTitle));
    const resends = await Promise.all([
      placement.api.post(`/placements/${recorded.id}/employer-link`, coach),
      placement.api.post(`/placements/${recorded.id}/employer-link`, coach),
    ]);
    expect(resends.map((r) => r.status)).toEqual([200, 200]);
    const second = secretIn(await mailAbout(recorded.jobTitle, [first]));
    const third = secretIn(await mailAbout(recorded.jobTitle, [first, second]));
    const live = await Promise.all(
      [first, second, third].map(async (s) => (await link(s).open()).status),
    );
    expect(live.filter((status) => status === 200)).toHaveLength(1);

    const confirmed = await placement.api.post(
      `/placements/${recorded.id}/confirmation`,
      coach,
      confirmation(1, 24, recorded.jobTitle),
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.employerLink).toMatchObject({ sent: true, purpose: 'report-change' });
  });

  it('revokes the old link when the link is sent again', async () => {
    const { placement: recorded } = await record(await register());
    const oldSecret = secretIn(await mailAbout(recorded.jobTitle));
    const resent = await placement.api.post(`/placements/${recorded.id}/employer-link`, coach);
    expect(resent.status).toBe(200);
    expect(resent.body.employerLink).toMatchObject({ sent: true, purpose: 'confirm-placement' });
    const newSecret = secretIn(await mailAbout(recorded.jobTitle, [oldSecret]));
    expect(newSecret).not.toBe(oldSecret);

    const old = await link(oldSecret).post('confirmation', confirmation(1));
    expect(old.status).toBe(410);
    expect(((await old.json()) as LinkAnswer).error.reason).toBe('revoked');
    expect((await link(newSecret).open()).status).toBe(200);
  });

  it('refuses an expired link, an unknown one and one used for another purpose, changing nothing', async () => {
    const { placement: recorded } = await record(await register());
    const secret = secretIn(await mailAbout(recorded.jobTitle));
    const reason = async (res: Response) => {
      expect(res.status).toBe(410);
      return ((await res.json()) as LinkAnswer).error.reason as string;
    };

    // a confirmation link cannot report an end
    expect(
      await reason(
        await link(secret).post('ending', {
          version: 1,
          endDate: START,
          reason: 'other',
          initiatedBy: 'other',
        }),
      ),
    ).toBe('wrong-purpose');
    expect(await reason(await link(`unknown-${randomUUID()}`).open())).toBe('unknown');

    const hash = createHash('sha256').update(secret).digest('hex');
    await placement.db
      .collection('signed_links')
      .updateOne({ _id: hash as never }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await reason(await link(secret).open())).toBe('expired');
    expect(await reason(await link(secret).post('confirmation', confirmation(1)))).toBe('expired');

    const stored = await placement.api.get(`/placements/${recorded.id}`, coach);
    expect(stored.body.placement).toMatchObject({ status: 'recorded', version: 1 });
  });

  it('answers 400 for a malformed secret and for a wrong body, changing nothing', async () => {
    const { placement: recorded } = await record(await register());
    const secret = secretIn(await mailAbout(recorded.jobTitle));
    const malformed = await link('short').open();
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as LinkAnswer).error.problems[0]?.path).toBe(
      'headers.x-link-secret',
    );
    const bad = await link(secret).post('confirmation', confirmation(1, 120));
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as LinkAnswer).error.problems.map((p: { path: string }) => p.path),
    ).toEqual(['terms.hoursPerWeek']);
    expect((await link(secret).open()).status).toBe(200);
  });

  it('mails in the contact’s language, and not at all without the participant’s consent', async () => {
    const arabic = await createTestEmployer(
      placement.api,
      coach,
      testEmployerBody({
        name: 'مكتبة مسقط',
        contacts: [
          {
            role: 'hr',
            fullName: 'هدى البلوشية',
            email: 'hr@maktaba.employer.test',
            preferredLanguage: 'ar',
          },
        ],
      }),
    );
    const { placement: recorded } = await record(await register(), arabic.id);
    const mail = await smtp.waitForMessage(
      (m) => m.to.includes('hr@maktaba.employer.test') && m.text.includes(recorded.jobTitle),
    );
    expect(mail.subject).toContain('مكتبة مسقط');
    expect(mail.html).toContain('dir="rtl"');
    // and the link opens the form in Arabic too
    expect(mail.text).toMatch(new RegExp(`${WEB}/e/[\\w-]+\\?lang=ar`));

    const withoutConsent = await register({ followUp: true, employerContact: false });
    const { employerLink } = await record(withoutConsent);
    expect(employerLink).toEqual({
      sent: false,
      purpose: 'confirm-placement',
      reason: 'no-consent',
    });
  });
});
