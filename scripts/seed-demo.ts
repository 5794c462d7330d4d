/**
 * Demo data: one account per role for the web app, then, through the public API, a few
 * placements, each recorded by its coach with a fixed idempotency key so that seeding twice
 * changes nothing. Prints each placement with its planned
 * follow-ups. Calls carry service tokens signed with SERVICE_TOKEN_PRIVATE_KEY (as the web app
 * signs them; `npm start` makes the key pair once, in .local/keys).
 * Usage: tsx scripts/seed-demo.ts <placement-url> <checkin-url>
 *        tsx scripts/seed-demo.ts --token <role> <audience>   prints a 10-minute token of a demo
 *        user (admin, programme-manager, coach, employer-user) for one service, for curl
 */
import { createTokenSigner, PrivateKeyEnv, Role, ServiceAudiences, type Caller } from '@sanad/auth';
import mongoose from 'mongoose';
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
  { fullName: 'عائشة البلوشية', preferredLanguage: 'ar', phone: '+96891234501' },
  { fullName: 'Yousef Al-Harthy', preferredLanguage: 'en', phone: '+96891234502' },
  { fullName: 'مريم الهنائية', preferredLanguage: 'ar' },
  { fullName: 'Khalid Al-Rawahi', preferredLanguage: 'en' },
] as const;

const demo = [
  { key: 'demo-1', job: 'Data entry clerk', started: 45, hours: 30, wage: 350, currency: 'OMR' },
  { key: 'demo-2', job: 'Kitchen assistant', started: 10, hours: 25, wage: 260, currency: 'OMR' },
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
    const { employer } = (await res.json()) as { employer: { id: string } };
    employerIds[i] = employer.id;
    console.log(
      `${res.status === 201 ? 'created ' : 'existing'} employer ${employer.id}  ${e.name}`,
    );
  }
  demoUsers['employer-user'].employerId = employerOf(0);
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
    const registered = await fetch(`${placementUrl}/participants`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `seed-participant-${d.key}`,
        authorization: `Bearer ${await tokens.sign(coach, ServiceAudiences.placement)}`,
      },
      body: JSON.stringify({
        ...people[i % people.length],
        programmeId: programme,
        coachId: coach.userId,
        consents: { followUp: true, employerContact: i !== 2, reportingByCategory: false },
      }),
    });
    if (registered.status !== 201 && registered.status !== 200) {
      throw new Error(
        `seeding participant ${d.key}: ${registered.status} ${await registered.text()}`,
      );
    }
    const { participant } = (await registered.json()) as { participant: { id: string } };
    const res = await fetch(`${placementUrl}/placements`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // 3: since placements name registered participants (2) and employers the service knows (3)
        'idempotency-key': `seed-3-${d.key}`,
        authorization: `Bearer ${await tokens.sign(coach, ServiceAudiences.placement)}`,
      },
      body: JSON.stringify({
        participantId: participant.id,
        employerId: employerOf(i),
        programmeId: programme,
        coachId: coach.userId,
        jobTitle: d.job,
        startDate: daysAgo(d.started),
        hoursPerWeek: d.hours,
        wage: {
          amount: d.wage,
          currency: d.currency,
          period: d.currency === 'USD' ? 'hour' : 'month',
        },
      }),
    });
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`seeding ${d.key}: ${res.status} ${await res.text()}`);
    }
    const { placement } = (await res.json()) as {
      placement: {
        id: string;
        jobTitle: string;
        startDate: string;
        hoursPerWeek: number;
        wage: unknown;
      };
    };
    if (i === 0) {
      // the employer user confirms the first placement (their organisation's), hours corrected
      const confirmed = await fetch(`${placementUrl}/placements/${placement.id}/confirmation`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': 'seed-confirm-demo-1',
          authorization: `Bearer ${await tokens.sign(demoUsers['employer-user'], ServiceAudiences.placement)}`,
        },
        body: JSON.stringify({
          version: 1,
          terms: {
            jobTitle: placement.jobTitle,
            startDate: placement.startDate,
            hoursPerWeek: placement.hoursPerWeek - 2,
            wage: placement.wage,
          },
          accommodations: ['flexible-schedule', 'screen-reader'],
        }),
      });
      if (confirmed.status !== 200) {
        throw new Error(`confirming ${d.key}: ${confirmed.status} ${await confirmed.text()}`);
      }
    }
    let plan: { checkins: { status: string }[] } | null = null;
    for (let attempt = 0; attempt < 100 && !plan; attempt++) {
      const r = await fetch(`${checkinUrl}/placements/${placement.id}/follow-ups`, {
        headers: {
          authorization: `Bearer ${await tokens.sign(coach, ServiceAudiences.checkin)}`,
        },
      });
      if (r.status === 200) plan = (await r.json()) as { checkins: { status: string }[] };
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const due = plan?.checkins.filter((c) => c.status === 'due').length ?? 0;
    console.log(
      `${res.status === 201 ? 'created ' : 'existing'} ${placement.id}  ${d.job.padEnd(24)} ` +
        `follow-ups: ${plan ? `${plan.checkins.length} planned, ${due} due` : 'not planned yet'}`,
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
