import type { Employer } from '../src/domain/employer';
import type { Participant } from '../src/domain/participant';
import type { Placement } from '../src/domain/placement';
import { participantRecipient, supervisorRecipient } from '../src/application/checkin-invitations';

const consent = (granted: boolean) => ({
  granted,
  changedAt: '2026-01-01T00:00:00Z',
  changedBy: 'u',
});
const participant = (overrides: Partial<Participant> = {}): Participant => ({
  id: 'p1',
  code: 'P-1',
  status: 'active',
  programmeId: 'prog',
  coachId: 'coach',
  fullName: 'Aisha Al-Rawahi',
  email: 'aisha@mail.test',
  preferredLanguage: 'ar',
  consents: {
    followUp: consent(true),
    employerContact: consent(true),
    reportingByCategory: consent(false),
  },
  version: 1,
  ...overrides,
});
const placement = { supervisorId: 's1', terms: { jobTitle: 'Clerk' } } as unknown as Placement;
const employer = {
  contacts: [
    {
      id: 'h1',
      role: 'hr',
      fullName: 'HR',
      email: 'hr@e.test',
      phone: null,
      preferredLanguage: 'ar',
    },
    {
      id: 's1',
      role: 'supervisor',
      fullName: 'Sam',
      email: 'sam@e.test',
      phone: null,
      preferredLanguage: 'en',
    },
  ],
} as unknown as Employer;
const request = {
  url: 'https://sanad.example/c/abc?lang=ar',
  expiresAt: new Date('2026-12-07T10:00:00Z'),
  milestoneDay: 30,
};

describe('whom a check-in invitation goes to', () => {
  it('the participant, in their language, with the followUp consent', () => {
    const r = participantRecipient(participant(), request);
    expect(r).toMatchObject({ ok: true, email: 'aisha@mail.test', language: 'ar' });
    const en = participantRecipient(participant({ preferredLanguage: 'en' }), request);
    expect(en).toMatchObject({ ok: true, language: 'en' });
  });

  it('nobody without consent, erased, unknown, or without an email', () => {
    const noConsent = participant({
      consents: { ...participant().consents!, followUp: consent(false) },
    });
    expect(participantRecipient(noConsent, request)).toEqual({ ok: false, reason: 'no-consent' });
    expect(participantRecipient(participant({ status: 'erased' }), request)).toEqual({
      ok: false,
      reason: 'no-consent',
    });
    expect(participantRecipient(null, request)).toEqual({ ok: false, reason: 'no-consent' });
    expect(participantRecipient(participant({ email: undefined }), request)).toEqual({
      ok: false,
      reason: 'no-contact',
    });
  });

  it("the placement's supervisor, in the supervisor's language, with employerContact", () => {
    const r = supervisorRecipient(participant(), placement, employer, request);
    expect(r).toMatchObject({ ok: true, email: 'sam@e.test', language: 'en' });
    if (r.ok) expect(r.mail.subject).toContain('Aisha Al-Rawahi');
  });

  it('no supervisor without consent, without one named, or one gone from the contacts', () => {
    const noConsent = participant({
      consents: { ...participant().consents!, employerContact: consent(false) },
    });
    expect(supervisorRecipient(noConsent, placement, employer, request)).toEqual({
      ok: false,
      reason: 'no-consent',
    });
    const none = { ...placement, supervisorId: null };
    expect(supervisorRecipient(participant(), none, employer, request)).toEqual({
      ok: false,
      reason: 'no-contact',
    });
    const gone = { ...placement, supervisorId: 'removed' };
    expect(supervisorRecipient(participant(), gone, employer, request)).toEqual({
      ok: false,
      reason: 'no-contact',
    });
    // a contact who is no longer a supervisor (HR, say) is never written to instead
    const hr = { ...placement, supervisorId: 'h1' };
    expect(supervisorRecipient(participant(), hr, employer, request)).toEqual({
      ok: false,
      reason: 'no-contact',
    });
  });
});
