/**
 * Demo data: one account per role for the web app, then, through the public API, a few
 * placements, each recorded by its coach and confirmed (the check-in service plans follow-ups on
 * the confirmation), with fixed idempotency keys; what a key made already is found and left as it
 * is, so seeding twice changes nothing. Prints each placement with its planned follow-ups. Calls carry service tokens signed with SERVICE_TOKEN_PRIVATE_KEY (as the web app
 * signs them; `npm start` makes the key pair once, in .local/keys).
 * Usage: tsx scripts/seed-demo.ts <placement-url> <checkin-url>
 *        tsx scripts/seed-demo.ts --token <role> <audience>   prints a 10-minute token of a demo
 *        user (admin, programme-manager, coach, employer-user) for one service, for curl
 */
import { createTokenSigner, PrivateKeyEnv, Role, ServiceAudiences, type Caller } from '@sanad/auth';
import mongoose from 'mongoose';
import { placementIdFor } from '../services/placement/src/application/record-placement';
import { participantIdFor } from '../services/placement/src/application/register-participant';
import { createPasswordHasher } from '../services/web/src/identity/passwords';
import { createProgrammeRepository } from '../services/web/src/persistence/programmes.repository';
import { createUserRepository } from '../services/web/src/persistence/users.repository';

/** Every demo account signs in with this password (demo data only; printed by `npm start`). */
export const DEMO_PASSWORD = 'sanad-demo-password';

const programme = '5a0c3b5e-7d1f-4c1e-9a51-3f1d2b7c0a01';
const coaches = ['5a0c3b5e-7d1f-4c1e-9a51-3f1d2b7c0b01', '5a0c3b5e-7d1f-4c1e-9a51-3f1d2b7c0b02'];
const today = new Date();
const daysAgo = (n: number) =>
  new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);

/** The people placed (demo names): each is registered by their coach before the placement. */
const people = [
  {
    fullName: 'عائشة البلوشية',
    preferredLanguage: 'ar',
    phone: '+96891234501',
    email: 'aisha@participant.sanad.test',
  },
  {
    fullName: 'مريم الهنائية',
    preferredLanguage: 'ar',
    email: 'maryam@participant.sanad.test',
  },
  {
    fullName: 'Yousef Al-Harthy',
    preferredLanguage: 'en',
    phone: '+96891234502',
    email: 'yousef@participant.sanad.test',
  },
  { fullName: 'Khalid Al-Rawahi', preferredLanguage: 'en' },
] as const;

/**
 * The demo placements, started `started` days before the day of the first seeding, all confirmed:
 * demo-2 (20 days) has its day-7 check-ins missed and its day-14 ones due, the participant's link
 * mailed to the demo mailbox (in Arabic); demo-1 (45 days) has missed ones and day 60 to come.
 */
const demo = [
  { key: 'demo-1', job: 'Data entry clerk', started: 45, hours: 30, wage: 350, currency: 'OMR' },
  { key: 'demo-2', job: 'Kitchen assistant', started: 20, hours: 25, wage: 260, currency: 'OMR' },
  {
    key: 'demo-3',
    job: 'Customer service agent',
    started: 120,
    hours: 40,
    wage: 4200,
    currency: 'SAR',
  },
  { key: 'demo-4', job: 'Library assistant', started: 3, hours: 20, wage: 6, currency: 'USD' },
];

/** The demo employers (names of invented organisations), each with HR and a supervisor. */
const employers = [
  { name: 'مكتبة مسقط العامة', sector: 'public-administration', region: 'muscat', lang: 'ar' },
  { name: 'Al Bustan Hospitality', sector: 'hospitality', region: 'muscat', lang: 'en' },
  { name: 'Dhofar Customer Care', sector: 'retail', region: 'dhofar', lang: 'en' },
  { name: 'مركز صحار للتعلم', sector: 'education', region: 'al-batinah-north', lang: 'ar' },
] as const;
/** The ids the placement service gave the demo employers (filled by seedEmployers). */
const employerIds: string[] = [];
/** The ids of their supervisor contacts, named on the placements (supervisors' check-ins). */
const supervisorIds: (string | undefined)[] = [];
const employerOf = (i: number) => employerIds[i % employerIds.length] as string;

/** The demo users, one per role: they see the demo placements (the employer user, the first). */
const demoUsers: Record<Role, Caller> = {
  admin: {
    userId: '5a0c3b5e-7d1f-4c1e-9a51-3f1d2b7c0c01',
    role: 'admin',
    programmeIds: [],
    employerId: null,
  },
  'programme-manager': {
    userId: '5a0c3b5e-7d1f-4c1e-9a51-3f1d2b7c0c02',
    role: 'programme-manager',
    programmeIds: [programme],
    employerId: null,
  },
  coach: {
    userId: coaches[0] as string,
    role: 'coach',
    programmeIds: [programme],
    employerId: null,
  },
  'employer-user': {
    userId: '5a0c3b5e-7d1f-4c1e-9a51-3f1d2b7c0c04',
    role: 'employer-user',
    programmeIds: [],
    employerId: null, // the first demo employer, once it exists (seedEmployers)
  },
};

const demoAccounts: { caller: Caller; email: string; displayName: string; locale: 'ar' | 'en' }[] =
  [
    {
      caller: demoUsers.admin,
      email: 'admin@sanad.test',
      displayName: 'Huda Al-Amri',
      locale: 'ar',
    },
    {
      caller: demoUsers['programme-manager'],
      email: 'manager@sanad.test',
      displayName: 'Yusuf Haddad',
      locale: 'en',
    },
    {
      caller: demoUsers.coach,
      email: 'coach@sanad.test',
      displayName: 'Salma Nasser',
      locale: 'ar',
    },
    {
      caller: { ...demoUsers.coach, userId: coaches[1] as string },
      email: 'coach2@sanad.test',
      displayName: 'Omar Khalil',
      locale: 'en',
    },
    {
      caller: demoUsers['employer-user'],
      email: 'employer@sanad.test',
      displayName: 'Maryam Saleh',
      locale: 'ar',
    },
  ];

/**
 * The web app's demo accounts and programme, written with the web app's own repositories into its
 * database (as its first-start bootstrap does), with the ids the demo placements name.
 */
async function seedAccounts(mongoUrl: string, dbName: string) {
  const db = await mongoose.createConnection(mongoUrl, { dbName }).asPromise();
  try {
    const users = createUserRepository(db);
    await users.ensureIndexes();
    await createProgrammeRepository(db).save({
      id: programme,
      name: 'Supported Employment – Muscat',
      createdAt: new Date(),
    });
    const passwords = createPasswordHasher({ memoryKiB: 19456, passes: 2 });
    for (const account of demoAccounts) {
      const existing = await users.findById(account.caller.userId);
      if (existing) {
        // data from before the demo employers existed: point the employer user at the first one
        if (existing.employerId !== account.caller.employerId) {
          await users.update(existing.id, { employerId: account.caller.employerId });
        }
        continue;
      }
      const now = new Date();
      await users.insert({
        id: account.caller.userId,
        email: account.email,
        displayName: account.displayName,
        role: account.caller.role,
        programmeIds: account.caller.programmeIds,
        employerId: account.caller.employerId,
        locale: account.locale,
        status: 'active',
        passwordHash: await passwords.hash(DEMO_PASSWORD),
        invitation: null,
        createdAt: now,
        updatedAt: now,
      });
      console.log(`account  ${account.email.padEnd(22)} ${account.caller.role}`);
    }
  } finally {
    await db.close();
  }
}

function signer(ttlSeconds = 60) {
  const key = process.env.SERVICE_TOKEN_PRIVATE_KEY;
  if (!key) throw new Error('SERVICE_TOKEN_PRIVATE_KEY is not set (npm start makes it)');
  return createTokenSigner(PrivateKeyEnv.parse(key), { ttlSeconds });
}

/** The demo employers through the API, with fixed idempotency keys (so: the same ids each time). */
async function seedEmployers(placementUrl: string, tokens: ReturnType<typeof signer>) {
  for (const [i, e] of employers.entries()) {
    const res = await fetch(`${placementUrl}/employers`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `seed-employer-${i + 1}`,
        authorization: `Bearer ${await tokens.sign(demoUsers.admin, ServiceAudiences.placement)}`,
      },
      body: JSON.stringify({
        name: e.name,
        sector: e.sector,
        region: e.region,
        contacts: [
          {
            role: 'hr',
            fullName: e.lang === 'ar' ? 'ليلى الكندية' : 'Laila Al-Kindi',
            email: `hr${i + 1}@employer.sanad.test`,
            preferredLanguage: e.lang,
          },
          {
            role: 'supervisor',
            fullName: e.lang === 'ar' ? 'سالم الحارثي' : 'Salim Al-Harthi',
            email: `supervisor${i + 1}@employer.sanad.test`,
            phone: `+9689200000${i + 1}`,
            preferredLanguage: e.lang,
          },
        ],
      }),
    });
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`seeding employer ${i + 1}: ${res.status} ${await res.text()}`);
    }
    const { employer } = (await res.json()) as {
      employer: { id: string; contacts: { id: string; role: string }[] };
    };
    employerIds[i] = employer.id;
    supervisorIds[i] = employer.contacts.find((c) => c.role === 'supervisor')?.id;
    console.log(
      `${res.status === 201 ? 'created ' : 'existing'} employer ${employer.id}  ${e.name}`,
    );
  }
  demoUsers['employer-user'].employerId = employerOf(0);
}

/** A placement as the placement service shows it (what seeding reads of it). */
interface SeededPlacement {
  id: string;
  jobTitle: string;
  startDate: string;
  hoursPerWeek: number;
  wage: unknown;
  status: 'recorded' | 'confirmed' | 'ended';
  version: number;
}

/** A placement's follow-ups as the check-in service shows them (what seeding prints of them). */
interface SeededPlan {
  status: string;
  checkins: {
    milestoneDay: number;
    respondent: string;
    dueDate: string;
    missAfter: string;
    status: string;
    invitation?: { sent: boolean; reason?: string };
  }[];
}

type Tokens = ReturnType<typeof signer>;

/** A JSON call to a service as `caller`; the status and the parsed body. */
async function call(
  tokens: Tokens,
  caller: Caller,
  audience: string,
  url: string,
  init: { method?: string; idempotencyKey?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(init.idempotencyKey ? { 'idempotency-key': init.idempotencyKey } : {}),
      authorization: `Bearer ${await tokens.sign(caller, audience)}`,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * What an idempotency key made already, or else `create` with it. The placement service derives
 * the id of what a key makes from the key (and its caller), so a second seeding finds the first
 * one's participants and placements and leaves them as they are, even when the demo's dates (from
 * today) or its confirmed terms no longer match what the key was first sent with.
 */
async function existingOr(
  what: string,
  read: () => Promise<{ status: number; body: Record<string, unknown> }>,
  create: () => Promise<{ status: number; body: Record<string, unknown> }>,
): Promise<{ created: boolean; body: Record<string, unknown> }> {
  const found = await read();
  if (found.status === 200) return { created: false, body: found.body };
  const made = await create();
  if (made.status !== 201 && made.status !== 200) {
    throw new Error(`seeding ${what}: ${made.status} ${JSON.stringify(made.body)}`);
  }
  return { created: made.status === 201, body: made.body };
}

/**
 * The plan of a confirmed placement once the check-ins already past have settled: those due before
 * today have fallen due (or were skipped), those past their grace period are missed, and every due
 * participant or supervisor check-in knows whether its link was mailed. At most ~15 s.
 */
async function settledPlan(
  checkinUrl: string,
  tokens: Tokens,
  coach: Caller,
  placementId: string,
): Promise<SeededPlan | null> {
  const today = new Date().toISOString().slice(0, 10);
  let plan: SeededPlan | null = null;
  for (let attempt = 0; attempt < 150; attempt++) {
    const r = await call(
      tokens,
      coach,
      ServiceAudiences.checkin,
      `${checkinUrl}/placements/${placementId}/follow-ups`,
    );
    if (r.status === 200) {
      plan = r.body as unknown as SeededPlan;
      const settled =
        plan.status !== 'awaiting-confirmation' &&
        plan.checkins.every(
          (c) =>
            !(c.status === 'scheduled' && c.dueDate <= today) &&
            !(c.status === 'due' && c.missAfter <= today) &&
            !(c.status === 'due' && c.respondent !== 'coach' && !c.invitation),
        );
      if (settled) return plan;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return plan;
}

/** One line of what is planned: counts by status, and what was mailed to whom. */
function describePlan(plan: SeededPlan | null): string {
  if (!plan || plan.status === 'awaiting-confirmation') return 'follow-ups: not planned yet';
  const counts = new Map<string, number>();
  for (const c of plan.checkins) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const byStatus = ['scheduled', 'due', 'missed', 'completed', 'skipped', 'cancelled']
    .filter((status) => counts.has(status))
    .map((status) => `${counts.get(status)} ${status}`)
    .join(', ');
  const mailed = plan.checkins
    .filter((c) => c.invitation?.sent)
    .map((c) => `d${c.milestoneDay} ${c.respondent}`);
  return (
    `follow-ups: ${plan.checkins.length} planned (${byStatus})` +
    (mailed.length > 0 ? `; link mailed: ${mailed.join(', ')}` : '')
  );
}

async function seed(placementUrl: string, checkinUrl: string) {
  const tokens = signer();
  await seedEmployers(placementUrl, tokens);
  await seedAccounts(
    process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27018',
    process.env.WEB_MONGO_DB ?? 'sanad_web',
  );
  for (const [i, d] of demo.entries()) {
    const coach: Caller = {
      userId: coaches[i % coaches.length] as string,
      role: 'coach',
      programmeIds: [programme],
      employerId: null,
    };
    const asCoach = (url: string, init?: Parameters<typeof call>[4]) =>
      call(tokens, coach, ServiceAudiences.placement, url, init);

    const participantKey = `seed-participant-${d.key}`;
    const registered = await existingOr(
      `participant ${d.key}`,
      () =>
        asCoach(`${placementUrl}/participants/${participantIdFor(coach.userId, participantKey)}`),
      () =>
        asCoach(`${placementUrl}/participants`, {
          method: 'POST',
          idempotencyKey: participantKey,
          body: {
            ...people[i % people.length],
            programmeId: programme,
            coachId: coach.userId,
            consents: { followUp: true, employerContact: i !== 2, reportingByCategory: false },
          },
        }),
    );
    const participant = registered.body.participant as { id: string };

    // 3: since placements name registered participants (2) and employers the service knows (3)
    const placementKey = `seed-3-${d.key}`;
    const recorded = await existingOr(
      d.key,
      () => asCoach(`${placementUrl}/placements/${placementIdFor(coach.userId, placementKey)}`),
      () =>
        asCoach(`${placementUrl}/placements`, {
          method: 'POST',
          idempotencyKey: placementKey,
          body: {
            participantId: participant.id,
            employerId: employerOf(i),
            programmeId: programme,
            coachId: coach.userId,
            ...(supervisorIds[i % employers.length]
              ? { supervisorId: supervisorIds[i % employers.length] }
              : {}),
            jobTitle: d.job,
            startDate: daysAgo(d.started),
            hoursPerWeek: d.hours,
            wage: {
              amount: d.wage,
              currency: d.currency,
              period: d.currency === 'USD' ? 'hour' : 'month',
            },
          },
        }),
    );
    let placement = recorded.body.placement as SeededPlacement;

    // The check-in service plans a placement's follow-ups once it is confirmed. The employer user
    // confirms the first (their organisation's), hours corrected; the coaches confirm the others
    // as recorded. Confirmed already (an earlier seeding): left as it is.
    let confirmedNow = false;
    if (placement.status === 'recorded') {
      const employerConfirms = i === 0;
      const confirmed = await call(
        tokens,
        employerConfirms ? demoUsers['employer-user'] : coach,
        ServiceAudiences.placement,
        `${placementUrl}/placements/${placement.id}/confirmation`,
        {
          method: 'POST',
          idempotencyKey: `seed-confirm-${d.key}`,
          body: {
            version: placement.version,
            terms: {
              jobTitle: placement.jobTitle,
              startDate: placement.startDate,
              hoursPerWeek: employerConfirms ? placement.hoursPerWeek - 2 : placement.hoursPerWeek,
              wage: placement.wage,
            },
            accommodations: employerConfirms ? ['flexible-schedule', 'screen-reader'] : [],
          },
        },
      );
      if (confirmed.status !== 200) {
        throw new Error(
          `confirming ${d.key}: ${confirmed.status} ${JSON.stringify(confirmed.body)}`,
        );
      }
      placement = confirmed.body.placement as SeededPlacement;
      confirmedNow = true;
    }

    const plan = await settledPlan(checkinUrl, tokens, coach, placement.id);
    const state = recorded.created ? 'created ' : confirmedNow ? 'confirmed' : 'existing';
    console.log(
      `${state} ${placement.id}  ${d.job.padEnd(24)} started ${placement.startDate}  ` +
        describePlan(plan),
    );
  }
}

async function printToken(role: string | undefined, audience: string | undefined) {
  const parsedRole = Role.safeParse(role);
  const audiences: string[] = Object.values(ServiceAudiences);
  if (!parsedRole.success || !audience || !audiences.includes(audience)) {
    throw new Error(`usage: --token <${Role.options.join('|')}> <${audiences.join('|')}>`);
  }
  console.log(await signer(600).sign(demoUsers[parsedRole.data], audience));
}

const args = process.argv.slice(2);
(args[0] === '--token'
  ? printToken(args[1], args[2])
  : seed(args[0] ?? 'http://127.0.0.1:4101', args[1] ?? 'http://127.0.0.1:4102')
).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
