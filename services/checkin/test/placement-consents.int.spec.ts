import { dlqTopicOf, followUpJobId, Topics, type ConsentFlags } from '@sanad/contracts';
import { DeadLetterHeaders } from '@sanad/messaging';
import {
  placementConfirmedEvent,
  placementConsentChangedEvent,
  placementRecordedEvent,
  readTopic,
  testKafka,
  waitFor,
} from '@sanad/testing';
import type { FollowUpsView } from '../src/application/get-follow-ups';
import { startCheckin, type RunningCheckin } from './support/start-checkin';

const flags = (followUp: boolean, employerContact: boolean): ConsentFlags => ({
  followUp,
  employerContact,
  reportingByCategory: false,
});

describe('check-ins honour the participant consents, on the real servers', () => {
  let checkin: RunningCheckin;
  beforeAll(async () => {
    checkin = await startCheckin();
  });
  afterAll(() => checkin.stop());

  const statusOf = (plan: FollowUpsView, day: number, respondent: string) =>
    plan.checkins.find((c) => c.milestoneDay === day && c.respondent === respondent);
  const fire = async (
    placementId: string,
    day: number,
    respondent: 'coach' | 'participant' | 'supervisor',
  ) => {
    const job = await checkin.queue.getJob(followUpJobId(placementId, day, respondent));
    await job?.promote();
  };

  it('skips participant and supervisor check-ins falling due without consent, and asks the coach', async () => {
    const { publisher, followUps } = checkin;
    const none = placementRecordedEvent({ startDate: '2020-01-01', consents: flags(false, false) });
    const employerOnly = placementRecordedEvent({
      startDate: '2020-01-01',
      consents: flags(false, true),
    });
    const followUpOnly = placementRecordedEvent({
      startDate: '2020-01-01',
      consents: flags(true, false),
    });
    await publisher.publish(
      [none, employerOnly, followUpOnly].flatMap((r) => [r, placementConfirmedEvent(r)]),
    );
    // Started in 2020: every check-in falls due at once and every grace period is over, so an
    // asked check-in ends up due or missed; both count as asked here.
    const settled = async (placementId: string) =>
      waitFor(
        async () => {
          const plan = await followUps(placementId);
          return plan &&
            plan.checkins.length === 16 &&
            plan.checkins.every((c) => c.status === 'skipped' || c.status === 'missed')
            ? plan
            : undefined;
        },
        { what: `every check-in of ${placementId} settled` },
      );
    const statuses = (plan: FollowUpsView) =>
      Object.fromEntries(
        ['coach', 'participant', 'supervisor'].map((r) => [
          r,
          [
            ...new Set(
              plan.checkins
                .filter((c) => c.respondent === r)
                .map((c) =>
                  c.status === 'due' || c.status === 'missed'
                    ? 'asked'
                    : `${c.status}${c.skipReason ? `:${c.skipReason}` : ''}`,
                ),
            ),
          ],
        ]),
      );
    expect(statuses(await settled(none.key))).toEqual({
      coach: ['asked'],
      participant: ['skipped:no-consent'],
      supervisor: ['skipped:no-consent'],
    });
    expect(statuses(await settled(employerOnly.key))).toEqual({
      coach: ['asked'],
      participant: ['skipped:no-consent'],
      supervisor: ['asked'],
    });
    expect(statuses(await settled(followUpOnly.key))).toEqual({
      coach: ['asked'],
      participant: ['asked'],
      supervisor: ['skipped:no-consent'],
    });

    // checkin.due went out for the asked ones only: 7 coach check-ins, then 2 supervisor ones.
    const dueFor = async (key: string, count: number) =>
      (
        await checkin.events(
          key,
          (events) => events.filter((e) => e.type === 'checkin.due').length >= count,
          1_000,
        )
      )
        .filter((e) => e.type === 'checkin.due')
        .map((e) => (e.data as { respondent: string }).respondent);
    expect(await dueFor(none.key, 7)).toEqual(Array(7).fill('coach'));
    expect((await dueFor(employerOnly.key, 9)).sort()).toEqual([
      ...Array(7).fill('coach'),
      'supervisor',
      'supervisor',
    ]);
    expect((await dueFor(followUpOnly.key, 14)).filter((r) => r === 'supervisor')).toEqual([]);
  });

  it('keeps a consent change with the plan and honours it when the next check-ins fall due', async () => {
    const { publisher, followUps } = checkin;
    const { recorded } = await checkin.follow({
      startDate: '2031-05-01',
      consents: flags(true, true),
    });
    const change = placementConsentChangedEvent({
      placementId: recorded.key,
      participantId: recorded.data.participantId,
      consents: flags(false, true),
    });
    await publisher.publish([change]);
    await waitFor(async () => (await followUps(recorded.key))?.consents?.followUp === false, {
      what: 'the plan to learn the withdrawn follow-up consent',
    });

    await fire(recorded.key, 7, 'participant');
    await fire(recorded.key, 7, 'coach');
    await fire(recorded.key, 30, 'supervisor');
    const plan = await waitFor(
      async () => {
        const p = await followUps(recorded.key);
        return p &&
          [
            statusOf(p, 7, 'participant'),
            statusOf(p, 7, 'coach'),
            statusOf(p, 30, 'supervisor'),
          ].every((c) => c?.status !== 'scheduled')
          ? p
          : undefined;
      },
      { what: 'the fired check-ins settled' },
    );
    expect(statusOf(plan, 7, 'participant')).toMatchObject({
      status: 'skipped',
      skipReason: 'no-consent',
    });
    expect(statusOf(plan, 7, 'coach')?.status).toBe('due');
    expect(statusOf(plan, 30, 'supervisor')?.status).toBe('due');
    expect(statusOf(plan, 14, 'participant')?.status).toBe('scheduled');
  });

  it('stores a change once when it arrives twice, and passes over an older one arriving late', async () => {
    const { publisher, followUps } = checkin;
    const recorded = await checkin.publishRecorded({ startDate: '2031-06-01' });
    expect((await followUps(recorded.key))?.consents).toBeNull();

    const now = Date.now();
    const newer = placementConsentChangedEvent({
      placementId: recorded.key,
      consents: flags(false, false),
      changedAt: new Date(now).toISOString(),
    });
    const older = placementConsentChangedEvent({
      placementId: recorded.key,
      consents: flags(true, true),
      changedAt: new Date(now - 60_000).toISOString(),
    });
    await publisher.publish([newer]);
    await publisher.publish([newer]);
    await publisher.publish([older]);
    await checkin.caughtUp();

    expect((await followUps(recorded.key))?.consents).toEqual(flags(false, false));
    expect(
      await checkin.db
        .collection('inbox')
        .countDocuments({ consumer: 'checkin.placement-consents', eventId: newer.eventId }),
    ).toBe(1);
    const stored = await checkin.db
      .collection('follow_up_plans')
      .findOne({ _id: recorded.key as never });
    expect(new Date(stored?.consentsChangedAt).toISOString()).toBe(newer.data.changedAt);
  });

  it('keeps a change that arrives before its placement, over the consents placement.recorded carries', async () => {
    const { publisher, followUps } = checkin;
    const recorded = placementRecordedEvent({
      startDate: '2020-02-01',
      consents: flags(true, true),
    });
    const change = placementConsentChangedEvent({
      placementId: recorded.key,
      consents: flags(false, true),
    });
    await publisher.publish([change]);
    // Known to admins only, with nothing planned, until the placement is recorded and confirmed.
    const kept = await waitFor(
      async () => {
        const p = await followUps(recorded.key);
        return p?.consents ? p : undefined;
      },
      { what: 'the consents kept before the plan' },
    );
    expect(kept).toMatchObject({
      status: 'awaiting-confirmation',
      consents: flags(false, true),
      checkins: [],
    });
    await publisher.publish([recorded, placementConfirmedEvent(recorded)]);
    const plan = await waitFor(
      async () => {
        const p = await followUps(recorded.key);
        return p && p.checkins.length === 16 && p.checkins.every((c) => c.status !== 'scheduled')
          ? p
          : undefined;
      },
      { what: 'the plan made and settled' },
    );
    expect(plan.consents).toEqual(flags(false, true));
    expect(plan.checkins).toHaveLength(16);
    expect(statusOf(plan, 7, 'participant')?.status).toBe('skipped');
    expect(['due', 'missed']).toContain(statusOf(plan, 30, 'supervisor')?.status);
  });

  it('dead-letters a malformed consent change once and goes on with the next', async () => {
    const { prefix, publisher, followUps } = checkin;
    const recorded = await checkin.publishRecorded({ startDate: '2031-07-01' });
    const bad = placementConsentChangedEvent({ placementId: recorded.key });
    const good = placementConsentChangedEvent({
      placementId: recorded.key,
      consents: flags(true, false),
    });
    await publisher.sendRaw(prefix + Topics.placement, [
      {
        key: bad.key,
        value: JSON.stringify({
          ...bad,
          data: { ...bad.data, consents: { ...bad.data.consents, followUp: 'no' } },
        }),
      },
    ]);
    await publisher.publish([good]);
    await waitFor(
      async () => (await followUps(recorded.key))?.consents?.employerContact === false,
      {
        what: 'the good change after the bad one',
      },
    );
    await checkin.caughtUp();
    const dead = await readTopic(testKafka(), dlqTopicOf(prefix + Topics.placement), { count: 1 });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.headers[DeadLetterHeaders.consumer]).toBe('checkin.placement-consents');
    expect(dead[0]?.headers[DeadLetterHeaders.reason]).toMatch(/data\.consents\.followUp/);
  });
});
