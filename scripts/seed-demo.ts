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

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const employerOf = (i: number) => `8c2e1d3f-0000-4000-8000-${hex(i + 1, 12)}`;

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
    employerId: employerOf(0),
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
      if (await users.findById(account.caller.userId)) continue;
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

async function seed(placementUrl: string, checkinUrl: string) {
  await seedAccounts(
    process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27018',
    process.env.WEB_MONGO_DB ?? 'sanad_web',
  );
  const tokens = signer();
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
        'idempotency-key': `seed-2-${d.key}`, // 2: since placements name registered participants
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
    const { placement } = (await res.json()) as { placement: { id: string } };
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
