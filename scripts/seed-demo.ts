/**
 * Demo data through the public API: a few placements, each recorded with a fixed idempotency key
 * so that seeding twice changes nothing. Prints each placement with its planned follow-ups.
 * Usage: tsx scripts/seed-demo.ts <placement-url> <checkin-url>
 */
const [placementUrl = 'http://127.0.0.1:4101', checkinUrl = 'http://127.0.0.1:4102'] =
  process.argv.slice(2);

const programme = '5a0c3b5e-7d1f-4c1e-9a51-3f1d2b7c0a01';
const coaches = ['5a0c3b5e-7d1f-4c1e-9a51-3f1d2b7c0b01', '5a0c3b5e-7d1f-4c1e-9a51-3f1d2b7c0b02'];
const today = new Date();
const daysAgo = (n: number) =>
  new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);

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

async function main() {
  for (const [i, d] of demo.entries()) {
    const res = await fetch(`${placementUrl}/placements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `seed-${d.key}` },
      body: JSON.stringify({
        participantId: `7b1d0c2e-0000-4000-8000-${hex(i + 1, 12)}`,
        employerId: `8c2e1d3f-0000-4000-8000-${hex(i + 1, 12)}`,
        programmeId: programme,
        coachId: coaches[i % coaches.length],
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
      const r = await fetch(`${checkinUrl}/placements/${placement.id}/follow-ups`);
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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
