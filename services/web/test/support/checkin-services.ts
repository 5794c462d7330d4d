import { randomUUID } from 'node:crypto';
import type { Caller } from '@sanad/auth';
import {
  apiClient,
  createTestEmployer,
  dropDatabases,
  serviceTestEnv,
  startTestSmtpServer,
  waitFor,
  type ApiClient,
  type ReceivedMail,
  type TestSmtpServer,
} from '@sanad/testing';
import { loadConfig as loadCheckinConfig } from '../../../checkin/src/config';
import { startCheckinService } from '../../../checkin/src/main';
import { loadConfig as loadPlacementConfig } from '../../../placement/src/config';
import { startPlacementService } from '../../../placement/src/main';
import { nthMailTo } from './employer-links';

/**
 * The placement and check-in services on the real servers, on one set of topics (the check-in
 * service follows the placement's events), with a test SMTP server: the check-in service asks the
 * placement service to mail its links, which point at `webBaseUrl`.
 */
export async function startFollowUpServices({ webBaseUrl }: { webBaseUrl: string }) {
  const smtp: TestSmtpServer = await startTestSmtpServer();
  const placementEnv = serviceTestEnv('placement');
  const placement = await startPlacementService(
    loadPlacementConfig({
      ...placementEnv,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Sanad <no-reply@sanad.test>',
      WEB_BASE_URL: webBaseUrl,
    }),
  );
  const placementUrl = `http://127.0.0.1:${placement.port}`;
  const checkinEnv = serviceTestEnv('checkin', { topicPrefix: placementEnv.KAFKA_TOPIC_PREFIX });
  const checkin = await startCheckinService(
    loadCheckinConfig({
      ...checkinEnv,
      PLACEMENT_URL: placementUrl,
      WEB_BASE_URL: webBaseUrl,
      RECONCILE_EVERY_MS: '3600000',
    }),
    (error) => {
      throw error;
    },
  );
  await Promise.all([checkin.consumer.joined, checkin.consentsConsumer.joined]);
  const checkinUrl = `http://127.0.0.1:${checkin.port}`;
  return {
    smtp,
    placementUrl,
    checkinUrl,
    placementApi: apiClient(placementUrl, 'placement'),
    checkinApi: apiClient(checkinUrl, 'checkin'),
    async stop() {
      await checkin.stop();
      await placement.stop();
      await smtp.stop();
      await dropDatabases([placementEnv.MONGO_DB, checkinEnv.MONGO_DB]);
    },
  };
}

export type FollowUpServices = Awaited<ReturnType<typeof startFollowUpServices>>;

/** YYYY-MM-DD `days` before today (UTC). */
export const daysAgo = (days: number) =>
  new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

export interface PlacementWithCheckinsDue {
  placementId: string;
  programmeId: string;
  participantEmail: string;
  supervisorEmail: string;
}

/**
 * A confirmed placement that started 8 days ago, in a programme whose policy asks the coach, the
 * participant and the supervisor at day 7 (with 30 days' grace): its check-ins fall due at once,
 * and the participant (who consents and has an email) and the supervisor (the employer's contact,
 * with an email) are mailed their links.
 */
export async function placementWithCheckinsDue(
  services: FollowUpServices,
  coach: Caller,
  admin: Caller,
  { language = 'en' as 'ar' | 'en', programmeId = coach.programmeIds[0] ?? randomUUID() } = {},
): Promise<PlacementWithCheckinsDue> {
  const { placementApi, checkinApi } = services;
  const policy = await checkinApi.get(`/programmes/${programmeId}/follow-up-policy`, admin);
  if (policy.status !== 200) throw new Error(`policy: ${policy.status}`);
  if (
    !(policy.body.milestones as { day: number }[]).some(
      (m) => m.day === 7 && policy.body.graceDays >= 30,
    )
  ) {
    const saved = await checkinApi.put(`/programmes/${programmeId}/follow-up-policy`, admin, {
      version: policy.body.version,
      milestones: [{ day: 7, respondents: ['coach', 'participant', 'supervisor'] }],
      graceDays: 30,
      channels: { coach: ['phone', 'visit'], participant: ['email'], supervisor: ['email'] },
      replanOpen: false,
    });
    if (saved.status !== 200)
      throw new Error(`policy PUT: ${saved.status} ${JSON.stringify(saved.body)}`);
  }
  const supervisorEmail = `supervisor-${randomUUID()}@employer.test`;
  const employer = await createTestEmployer(placementApi, coach, {
    name: `Nizwa Bakery ${randomUUID().slice(0, 8)}`,
    contacts: [
      {
        role: 'hr',
        fullName: 'Maryam Al-Balushi',
        email: `hr-${randomUUID()}@employer.test`,
        preferredLanguage: language,
      },
      {
        role: 'supervisor',
        fullName: 'Aisha Al-Hinai',
        email: supervisorEmail,
        preferredLanguage: language,
      },
    ],
  });
  const supervisorId = employer.contacts.find((c) => c.role === 'supervisor')?.id as string;
  const participantEmail = `participant-${randomUUID()}@sanad.test`;
  const registered = await placementApi.post('/participants', coach, {
    fullName: language === 'ar' ? 'يوسف الحارثي' : 'Yousef Al-Harthy',
    email: participantEmail,
    preferredLanguage: language,
    programmeId,
    coachId: coach.userId,
    consents: { followUp: true, employerContact: true, reportingByCategory: false },
  });
  if (registered.status !== 201) throw new Error(`participant: ${registered.status}`);
  const terms = {
    jobTitle: language === 'ar' ? 'مساعد خباز' : 'Baker assistant',
    startDate: daysAgo(8),
    hoursPerWeek: 20,
    wage: { amount: 300, currency: 'OMR', period: 'month' as const },
  };
  const recorded = await placementApi.post('/placements', coach, {
    participantId: registered.body.participant.id,
    employerId: employer.id,
    programmeId,
    coachId: coach.userId,
    supervisorId,
    ...terms,
  });
  if (recorded.status !== 201) {
    throw new Error(`placement: ${recorded.status} ${JSON.stringify(recorded.body)}`);
  }
  const placementId = recorded.body.placement.id as string;
  const confirmed = await placementApi.post(`/placements/${placementId}/confirmation`, coach, {
    version: recorded.body.placement.version,
    terms,
    accommodations: ['flexible-schedule'],
    supervisorId,
  });
  if (confirmed.status !== 200) {
    throw new Error(`confirmation: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  }
  return { placementId, programmeId, participantEmail, supervisorEmail };
}

/** The web address of the check-in link in a mail (`…/c/<secret>?lang=..`), as a person clicks it. */
export function checkinLinkIn(mail: ReceivedMail): string {
  const found = /https?:\/\/[^\s"<>]+\/c\/[\w-]{20,100}(\?lang=(ar|en))?/.exec(mail.text);
  if (!found) throw new Error(`no check-in link in the mail "${mail.subject}"`);
  return found[0];
}

/** The check-in link mailed to `email` (its first mail), waiting for it. */
export const checkinLinkMailedTo = async (services: FollowUpServices, email: string) =>
  checkinLinkIn(await nthMailTo(services.smtp, email, 0, 30_000));

/** Waits until the check-in service shows the placement's follow-ups to `caller`. */
export const followUpsReady = (services: FollowUpServices, placementId: string, caller: Caller) =>
  waitFor(
    async () => {
      const res = await services.checkinApi.get(`/placements/${placementId}/follow-ups`, caller);
      return res.status === 200 && (res.body.checkins as unknown[]).length > 0
        ? res.body
        : undefined;
    },
    { timeoutMs: 20_000, what: 'the follow-up plan' },
  );

export type { ApiClient };
