import { randomUUID } from 'node:crypto';
import { AppError } from '@sanad/errors';
import {
  changeConsents,
  consentChangedEvents,
  consentFlags,
  erase,
  PERSONAL_FIELDS,
  pseudonymise,
  registerParticipant,
  sameRegistration,
  type Participant,
  type RegisterParticipant,
} from '../src/domain/participant';
import { CODE_ALPHABET, PARTICIPANT_CODE, participantCode } from '../src/domain/participant-code';

const coachId = randomUUID();
const managerId = randomUUID();
const t0 = new Date('2026-03-01T08:00:00.000Z');
const t1 = new Date('2026-04-01T08:00:00.000Z');

const command = (over: Partial<RegisterParticipant> = {}): RegisterParticipant => ({
  fullName: 'Aisha Al-Balushi',
  phone: '+96891234567',
  email: 'aisha@example.org',
  preferredLanguage: 'ar',
  disabilityCategory: 'visual',
  accommodationNeeds: 'Screen reader; large-print rota',
  programmeId: randomUUID(),
  coachId,
  consents: { followUp: true, employerContact: true, reportingByCategory: true },
  ...over,
});
const register = (over: Partial<RegisterParticipant> = {}): Participant =>
  registerParticipant(command(over), { id: randomUUID(), code: 'P-7K3Q9X', by: coachId, now: t0 });

describe('registering a participant', () => {
  it('stamps every consent with who recorded it and when, at version 1', () => {
    const p = register({
      consents: { followUp: true, employerContact: false, reportingByCategory: true },
    });
    expect(p).toMatchObject({ status: 'active', version: 1, code: 'P-7K3Q9X' });
    expect(p.consents).toEqual({
      followUp: { granted: true, changedAt: t0.toISOString(), changedBy: coachId },
      employerContact: { granted: false, changedAt: t0.toISOString(), changedBy: coachId },
      reportingByCategory: { granted: true, changedAt: t0.toISOString(), changedBy: coachId },
    });
    expect(consentFlags(p)).toEqual({
      followUp: true,
      employerContact: false,
      reportingByCategory: true,
    });
  });

  it('refuses a disability category without the reportingByCategory consent, naming it', () => {
    const without = { followUp: true, employerContact: true, reportingByCategory: false };
    expect(() => register({ consents: without })).toThrow(AppError);
    try {
      register({ consents: without });
    } catch (error) {
      expect((error as AppError).details.problems).toEqual([
        { path: 'disabilityCategory', message: expect.any(String), code: 'consent-required' },
      ]);
    }
    const fine = register({ consents: without, disabilityCategory: undefined });
    expect(fine).not.toHaveProperty('disabilityCategory');
  });

  it('leaves optional fields absent rather than empty', () => {
    const p = register({ phone: undefined, email: undefined, accommodationNeeds: undefined });
    expect(Object.keys(p)).not.toEqual(expect.arrayContaining(['phone']));
    expect(p).not.toHaveProperty('email');
    expect(p).not.toHaveProperty('accommodationNeeds');
  });

  it('knows a repeated registration from a different one', () => {
    const c = command();
    const p = registerParticipant(c, { id: randomUUID(), code: 'P-22222A', by: coachId, now: t0 });
    expect(sameRegistration(p, { ...c })).toBe(true);
    expect(sameRegistration(p, { ...c, fullName: 'Someone else' })).toBe(false);
    expect(sameRegistration(p, { ...c, consents: { ...c.consents, followUp: false } })).toBe(false);
    expect(sameRegistration(p, { ...c, phone: undefined })).toBe(false);
  });
});

describe('changing consents', () => {
  it('stamps only the consents that really change, and raises the version once', () => {
    const p = register();
    const { participant, changed } = changeConsents(
      p,
      { followUp: true, employerContact: false },
      { by: managerId, now: t1 },
    );
    expect(changed).toEqual(['employerContact']);
    expect(participant.version).toBe(2);
    expect(participant.consents?.followUp).toEqual(p.consents?.followUp);
    expect(participant.consents?.employerContact).toEqual({
      granted: false,
      changedAt: t1.toISOString(),
      changedBy: managerId,
    });
    expect(participant.disabilityCategory).toBe('visual');
  });

  it('changes nothing when nothing differs', () => {
    const p = register();
    const result = changeConsents(p, { followUp: true }, { by: managerId, now: t1 });
    expect(result).toEqual({ participant: p, changed: [] });
  });

  it('removes the disability category when reportingByCategory is withdrawn', () => {
    const { participant } = changeConsents(
      register(),
      { reportingByCategory: false },
      { by: managerId, now: t1 },
    );
    expect(participant).not.toHaveProperty('disabilityCategory');
    expect(consentFlags(participant).reportingByCategory).toBe(false);
  });

  it('refuses to change the consents of an erased participant', () => {
    const { participant } = erase(register(), { now: t1, newCode: 'P-33333B' });
    expect(() =>
      changeConsents(participant, { followUp: true }, { by: managerId, now: t1 }),
    ).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });
});

describe('pseudonymisation and erasure', () => {
  it('pseudonymising removes every personal field and keeps code, ids, language and consents', () => {
    const p = register();
    const { participant, changed } = pseudonymise(p, t1);
    expect(changed).toBe(true);
    for (const field of PERSONAL_FIELDS) expect(participant).not.toHaveProperty(field);
    expect(participant).toMatchObject({
      id: p.id,
      code: p.code,
      programmeId: p.programmeId,
      coachId: p.coachId,
      preferredLanguage: 'ar',
      consents: p.consents,
      status: 'pseudonymised',
      version: 2,
      pseudonymisedAt: t1.toISOString(),
    });
    expect(pseudonymise(participant, t1)).toEqual({ participant, changed: false });
  });

  it('erasing leaves a tombstone with a new code, and erasing again changes nothing', () => {
    const p = register();
    const { participant, changed } = erase(p, { now: t1, newCode: 'P-44444C' });
    expect(changed).toBe(true);
    expect(participant).toEqual({
      id: p.id,
      code: 'P-44444C',
      status: 'erased',
      programmeId: p.programmeId,
      coachId: p.coachId,
      version: 2,
      erasedAt: t1.toISOString(),
    });
    expect(consentFlags(participant)).toEqual({
      followUp: false,
      employerContact: false,
      reportingByCategory: false,
    });
    expect(erase(participant, { now: t1, newCode: 'P-55555D' })).toEqual({
      participant,
      changed: false,
    });
    expect(pseudonymise(participant, t1).changed).toBe(false);
  });

  it('erases a pseudonymised participant too', () => {
    const { participant } = pseudonymise(register(), t0);
    expect(erase(participant, { now: t1, newCode: 'P-66666E' }).participant.status).toBe('erased');
  });
});

describe('placement.consent-changed', () => {
  const context = { producer: 'placement', correlationId: 'req-1', causationId: null };

  it('is one event per placement, keyed by it, with the consents now and a fixed id', () => {
    const p = changeConsents(
      register(),
      { followUp: false },
      { by: managerId, now: t1 },
    ).participant;
    const placements = [randomUUID(), randomUUID()];
    const events = consentChangedEvents(p, placements, context, t1);
    expect(events.map((e) => e.key)).toEqual(placements);
    expect(events[0]?.data).toEqual({
      placementId: placements[0],
      participantId: p.id,
      consents: { followUp: false, employerContact: true, reportingByCategory: true },
      changedAt: t1.toISOString(),
    });
    const again = consentChangedEvents(p, placements, context, t1);
    expect(again.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    const later = changeConsents(p, { followUp: true }, { by: managerId, now: t1 }).participant;
    expect(consentChangedEvents(later, placements, context, t1)[0]?.eventId).not.toBe(
      events[0]?.eventId,
    );
  });

  it('carries nothing personal', () => {
    const [event] = consentChangedEvents(register(), [randomUUID()], context, t1);
    const text = JSON.stringify(event);
    expect(text).not.toContain('Aisha');
    expect(text).not.toContain('+968');
    expect(text).not.toContain('visual');
  });
});

describe('participant codes', () => {
  it('are P- and six characters without look-alikes', () => {
    expect(CODE_ALPHABET).toHaveLength(30);
    expect(CODE_ALPHABET).not.toMatch(/[01ILOU]/);
    let i = 0;
    expect(participantCode(() => i++ % 30)).toBe('P-234567');
    expect(participantCode((max) => max - 1)).toBe('P-ZZZZZZ');
    for (let n = 0; n < 200; n++) {
      expect(participantCode((max) => Math.floor(Math.random() * max))).toMatch(PARTICIPANT_CODE);
    }
  });
});
