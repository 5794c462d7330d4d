import { randomUUID } from 'node:crypto';
import {
  changeOf,
  createEvent,
  EventCatalogue,
  eventSchema,
  followUpJobId,
  deterministicUuid,
  Id,
  PlacementChangedV1,
  PlacementConfirmedV1,
  PlacementConsentChangedV1,
  PlacementEndedV1,
  PlacementRecordedV1,
  Topics,
} from '../src';

const ctx = { producer: 'placement', correlationId: 'req-1', causationId: null };
const recorded = () => ({
  placementId: randomUUID(),
  participantId: randomUUID(),
  employerId: randomUUID(),
  programmeId: randomUUID(),
  coachId: randomUUID(),
  jobTitle: 'Data entry clerk',
  startDate: '2026-03-01',
  hoursPerWeek: 30,
  wage: { amount: 350, currency: 'OMR', period: 'month' as const },
});

describe('event contracts', () => {
  it('keys every event by its placement id', () => {
    const data = recorded();
    const event = createEvent(PlacementRecordedV1, data, ctx, new Date('2026-03-01T08:00:00Z'));
    expect(event.key).toBe(data.placementId);
    expect(event).toMatchObject({ type: 'placement.recorded', version: 1, causationId: null });
    expect(event.occurredAt).toBe('2026-03-01T08:00:00.000Z');
  });

  it('refuses data that breaks the contract, naming the field', () => {
    const data = { ...recorded(), hoursPerWeek: 120 };
    expect(() => createEvent(PlacementRecordedV1, data, ctx, new Date())).toThrow(/hoursPerWeek/);
  });

  it('refuses personal data smuggled into an event (unknown keys)', () => {
    const data = { ...recorded(), participantName: 'Aisha' };
    expect(() => createEvent(PlacementRecordedV1, data, ctx, new Date())).toThrow(
      /participantName/,
    );
  });

  it('an event schema passes over other types and rejects a bad one of its own', () => {
    const schema = eventSchema(PlacementRecordedV1, PlacementConfirmedV1);
    const ended = createEvent(
      PlacementEndedV1,
      {
        placementId: randomUUID(),
        endDate: '2026-05-01',
        reason: 'resigned',
        initiatedBy: 'participant',
      },
      ctx,
      new Date(),
    );
    expect(schema.handles(ended.type, ended.version)).toBe(false);
    const good = createEvent(PlacementRecordedV1, recorded(), ctx, new Date());
    expect(schema.safeParse(good).success).toBe(true);
    const bad = { ...good, data: { ...good.data, startDate: 'yesterday' } };
    const result = schema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['data', 'startDate']);
  });

  it('lists every event once, on the topic of its entity', () => {
    const names = EventCatalogue.map((d) => `${d.type}@${d.version}`);
    expect(new Set(names).size).toBe(names.length);
    for (const d of EventCatalogue) {
      const entity = d.type.split('.')[0] as keyof typeof Topics;
      expect(d.topic).toBe(Topics[entity]);
    }
  });

  it('takes the consents of placement.recorded as an optional, strict addition', () => {
    const consents = { followUp: true, employerContact: false, reportingByCategory: false };
    const without = createEvent(PlacementRecordedV1, recorded(), ctx, new Date());
    expect(without.data).not.toHaveProperty('consents');
    const withConsents = createEvent(
      PlacementRecordedV1,
      { ...recorded(), consents },
      ctx,
      new Date(),
    );
    expect(withConsents.data.consents).toEqual(consents);
    expect(() =>
      createEvent(
        PlacementRecordedV1,
        { ...recorded(), consents: { ...consents, disabilityCategory: 'visual' } as never },
        ctx,
        new Date(),
      ),
    ).toThrow(/disabilityCategory/);
    expect(() =>
      createEvent(
        PlacementRecordedV1,
        { ...recorded(), consents: { followUp: true } as never },
        ctx,
        new Date(),
      ),
    ).toThrow(/employerContact/);
  });

  it('keys placement.consent-changed by the placement and refuses anything but the flags', () => {
    const data = {
      placementId: randomUUID(),
      participantId: randomUUID(),
      consents: { followUp: false, employerContact: true, reportingByCategory: false },
      changedAt: '2026-03-01T08:00:00.000Z',
    };
    const event = createEvent(PlacementConsentChangedV1, data, ctx, new Date());
    expect(event).toMatchObject({ type: 'placement.consent-changed', version: 1 });
    expect(event.key).toBe(data.placementId);
    expect(() =>
      createEvent(
        PlacementConsentChangedV1,
        { ...data, fullName: 'Aisha' } as never,
        ctx,
        new Date(),
      ),
    ).toThrow(/fullName/);
    expect(() =>
      createEvent(PlacementConsentChangedV1, { ...data, changedAt: 'today' }, ctx, new Date()),
    ).toThrow(/changedAt/);
  });

  it('takes a coach change in placement.changed v1 (additive), ids only, strict', () => {
    const [before, after, placementId] = [randomUUID(), randomUUID(), randomUUID()];
    const data = {
      placementId,
      changes: [{ field: 'coachId' as const, before, after }],
      effectiveDate: '2026-03-01',
    };
    const event = createEvent(PlacementChangedV1, data, ctx, new Date());
    expect(event).toMatchObject({ type: 'placement.changed', version: 1, key: placementId });
    expect(changeOf(event.data.changes, 'coachId')).toEqual({ field: 'coachId', before, after });
    expect(changeOf(event.data.changes, 'wage')).toBeUndefined();
    expect(() =>
      createEvent(
        PlacementChangedV1,
        { ...data, changes: [{ field: 'coachId', before, after: 'Coach Salim' }] },
        ctx,
        new Date(),
      ),
    ).toThrow(/"after"[\s\S]*Invalid UUID/);
    expect(() =>
      createEvent(
        PlacementChangedV1,
        { ...data, changes: [{ field: 'coachId', before, after, coachName: 'Salim' }] as never },
        ctx,
        new Date(),
      ),
    ).toThrow(/coachName/);
    // The changes v1 knew before are read as they were.
    const hours = createEvent(
      PlacementChangedV1,
      { ...data, changes: [{ field: 'hoursPerWeek', before: 30, after: 20 }] },
      ctx,
      new Date(),
    );
    expect(changeOf(hours.data.changes, 'coachId')).toBeUndefined();
  });

  it('makes one follow-up job id per placement, milestone and respondent', () => {
    const id = followUpJobId('7f1c0d7e-1111-4a4a-8b8b-123456789abc', 30, 'supervisor');
    expect(id).toBe('7f1c0d7e-1111-4a4a-8b8b-123456789abc.d30.supervisor');
    expect(id).not.toContain(':');
  });
});

describe('deterministicUuid', () => {
  it('gives the same valid UUID for the same name and another for another name', () => {
    const a = deterministicUuid('checkin:p1:30:coach');
    expect(deterministicUuid('checkin:p1:30:coach')).toBe(a);
    expect(deterministicUuid('checkin:p1:30:participant')).not.toBe(a);
    expect(Id.safeParse(a).success).toBe(true);
  });
});
