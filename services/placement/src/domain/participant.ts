import {
  CONSENT_PURPOSES,
  createEvent,
  deterministicUuid,
  PlacementConsentChangedV1,
  type ConsentFlags,
  type DisabilityCategory,
  type EventContext,
  type PlacementConsentChangedV1 as ConsentChangedEvent,
} from '@sanad/contracts';
import { AppError } from '@sanad/errors';

/** The vocabulary lives in contracts (the web app's forms use it too). */
export { CONSENT_PURPOSES, DISABILITY_CATEGORIES, type DisabilityCategory } from '@sanad/contracts';

export const LANGUAGES = ['ar', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export interface Consent {
  granted: boolean;
  changedAt: string;
  /** The user who recorded it. */
  changedBy: string;
}
export type Consents = Record<ConsentPurpose, Consent>;

export type ParticipantStatus = 'active' | 'pseudonymised' | 'erased';

/** The fields that say who the person is, how to reach them or what their disability is. */
export const PERSONAL_FIELDS = [
  'fullName',
  'phone',
  'email',
  'disabilityCategory',
  'accommodationNeeds',
] as const;

/**
 * A person followed up after they start a job. Their personal data lives here and nowhere else;
 * other services and events know them by id (and reports by `code`).
 *
 * Pseudonymised: the personal fields are gone; code, ids, language and consents stay. Erased: a
 * tombstone of id, a new random code, programme and coach (who may still see that it was erased)
 * and when; their placements stay, with ids and job facts only, so counts in reports stay right.
 */
export interface Participant {
  id: string;
  code: string;
  status: ParticipantStatus;
  programmeId: string;
  coachId: string;
  fullName?: string;
  phone?: string;
  email?: string;
  preferredLanguage?: Language;
  /** Kept only while the reportingByCategory consent is granted. */
  disabilityCategory?: DisabilityCategory;
  accommodationNeeds?: string;
  /** None once erased. */
  consents?: Consents;
  /** Raised by one on every change. */
  version: number;
  createdAt?: string;
  updatedAt?: string;
  pseudonymisedAt?: string;
  erasedAt?: string;
}

export interface RegisterParticipant {
  fullName: string;
  phone?: string;
  email?: string;
  preferredLanguage: Language;
  disabilityCategory?: DisabilityCategory;
  accommodationNeeds?: string;
  programmeId: string;
  coachId: string;
  consents: ConsentFlags;
}

/** Leaves out the members that are undefined, so that absent stays absent. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const categoryWithoutConsent = () =>
  AppError.validation([
    {
      path: 'disabilityCategory',
      message: 'kept only when the reportingByCategory consent is granted',
      code: 'consent-required',
    },
  ]);

/** A coach or manager registers a participant, with the consents the person gave. */
export function registerParticipant(
  command: RegisterParticipant,
  { id, code, by, now }: { id: string; code: string; by: string; now: Date },
): Participant {
  if (command.disabilityCategory !== undefined && !command.consents.reportingByCategory) {
    throw categoryWithoutConsent();
  }
  const at = now.toISOString();
  const consent = (granted: boolean): Consent => ({ granted, changedAt: at, changedBy: by });
  return compact({
    id,
    code,
    status: 'active' as const,
    programmeId: command.programmeId,
    coachId: command.coachId,
    fullName: command.fullName,
    phone: command.phone,
    email: command.email,
    preferredLanguage: command.preferredLanguage,
    disabilityCategory: command.disabilityCategory,
    accommodationNeeds: command.accommodationNeeds,
    consents: {
      followUp: consent(command.consents.followUp),
      employerContact: consent(command.consents.employerContact),
      reportingByCategory: consent(command.consents.reportingByCategory),
    },
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
}

/** Whether a repeated registration (same Idempotency-Key) asks for what is stored. */
export function sameRegistration(participant: Participant, command: RegisterParticipant): boolean {
  const stored: RegisterParticipant = compact({
    fullName: participant.fullName as string,
    phone: participant.phone,
    email: participant.email,
    preferredLanguage: participant.preferredLanguage as Language,
    disabilityCategory: participant.disabilityCategory,
    accommodationNeeds: participant.accommodationNeeds,
    programmeId: participant.programmeId,
    coachId: participant.coachId,
    consents: consentFlags(participant),
  });
  return canonical(stored) === canonical(compact({ ...command }));
}

function canonical(value: unknown): string {
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What the participant agreed to, as flags; an erased participant agreed to nothing. */
export function consentFlags(participant: Participant): ConsentFlags {
  const granted = (purpose: ConsentPurpose) =>
    participant.status !== 'erased' && participant.consents?.[purpose].granted === true;
  return {
    followUp: granted('followUp'),
    employerContact: granted('employerContact'),
    reportingByCategory: granted('reportingByCategory'),
  };
}

export const sameFlags = (a: ConsentFlags, b: ConsentFlags) =>
  CONSENT_PURPOSES.every((purpose) => a[purpose] === b[purpose]);

/**
 * Consents given or withdrawn. Only those that really change are stamped with who and when;
 * withdrawing reportingByCategory also removes the disability category. An erased participant
 * has no consents left to change.
 */
export function changeConsents(
  participant: Participant,
  changes: Partial<Record<ConsentPurpose, boolean>>,
  { by, now }: { by: string; now: Date },
): { participant: Participant; changed: ConsentPurpose[] } {
  if (participant.status === 'erased' || !participant.consents) {
    throw AppError.conflict('the participant was erased: there are no consents to change');
  }
  const at = now.toISOString();
  const consents: Consents = { ...participant.consents };
  const changed = CONSENT_PURPOSES.filter((purpose) => {
    const wanted = changes[purpose];
    if (wanted === undefined || wanted === consents[purpose].granted) return false;
    consents[purpose] = { granted: wanted, changedAt: at, changedBy: by };
    return true;
  });
  if (changed.length === 0) return { participant, changed };
  const next: Participant = {
    ...participant,
    consents,
    version: participant.version + 1,
    updatedAt: at,
  };
  if (!consents.reportingByCategory.granted) delete next.disabilityCategory;
  return { participant: next, changed };
}

/**
 * Removes what identifies the person (PERSONAL_FIELDS) and keeps the code, ids, language and
 * consents. Already pseudonymised or erased: nothing changes.
 */
export function pseudonymise(
  participant: Participant,
  now: Date,
): { participant: Participant; changed: boolean } {
  if (participant.status !== 'active') return { participant, changed: false };
  const at = now.toISOString();
  const next: Participant = {
    ...participant,
    status: 'pseudonymised',
    version: participant.version + 1,
    updatedAt: at,
    pseudonymisedAt: at,
  };
  for (const field of PERSONAL_FIELDS) delete next[field];
  return { participant: next, changed: true };
}

/**
 * Leaves a tombstone: id, a new random code (the old one may be written down somewhere next to a
 * name), programme and coach, and when. Everything else goes: personal fields, language,
 * consents, timestamps. Already erased: nothing changes.
 */
export function erase(
  participant: Participant,
  { now, newCode }: { now: Date; newCode: string },
): { participant: Participant; changed: boolean } {
  if (participant.status === 'erased') return { participant, changed: false };
  return {
    participant: {
      id: participant.id,
      code: newCode,
      status: 'erased',
      programmeId: participant.programmeId,
      coachId: participant.coachId,
      version: participant.version + 1,
      erasedAt: now.toISOString(),
    },
    changed: true,
  };
}

/**
 * One placement.consent-changed per placement of the participant still running, with the
 * participant's consents now. The event id is fixed by placement, participant and version, so
 * publishing it again (after a crash) is harmless: consumers pass a known id over.
 */
export function consentChangedEvents(
  participant: Participant,
  placementIds: readonly string[],
  context: EventContext,
  now: Date,
): ConsentChangedEvent[] {
  const consents = consentFlags(participant);
  return placementIds.map((placementId) =>
    createEvent(
      PlacementConsentChangedV1,
      { placementId, participantId: participant.id, consents, changedAt: now.toISOString() },
      context,
      now,
      deterministicUuid(
        `placement.consent-changed:${placementId}:${participant.id}:v${participant.version}`,
      ),
    ),
  );
}

/**
 * What a coach or manager corrects in a participant's record. A field left out stays as it is;
 * null removes an optional one (a phone the person no longer has).
 */
export interface EditParticipant {
  fullName?: string;
  phone?: string | null;
  email?: string | null;
  preferredLanguage?: Language;
  accommodationNeeds?: string | null;
  disabilityCategory?: DisabilityCategory | null;
}

const EDITABLE_FIELDS = [
  'fullName',
  'phone',
  'email',
  'preferredLanguage',
  'accommodationNeeds',
  'disabilityCategory',
] as const satisfies readonly (keyof EditParticipant)[];

/**
 * The participant with their record corrected, if the caller decided on its current version
 * (else STALE_VERSION). Only an active participant has a record to correct: a pseudonymised or
 * erased one is a conflict. A disability category is kept only with the reportingByCategory
 * consent. Asking for what is stored changes nothing (no new version).
 */
export function editParticipant(
  participant: Participant,
  changes: EditParticipant,
  { now, version }: { now: Date; version: number },
): { participant: Participant; changed: boolean } {
  if (participant.status !== 'active') {
    throw AppError.conflict(
      `the participant was ${participant.status}: there is no record to edit`,
    );
  }
  if (version !== participant.version) {
    throw new AppError(
      'STALE_VERSION',
      `the participant is at version ${participant.version}, not ${version}: reload and try again`,
    );
  }
  if (
    changes.disabilityCategory !== undefined &&
    changes.disabilityCategory !== null &&
    !consentFlags(participant).reportingByCategory
  ) {
    throw categoryWithoutConsent();
  }
  const next: Participant = { ...participant };
  let changed = false;
  for (const field of EDITABLE_FIELDS) {
    const wanted = changes[field];
    if (wanted === undefined) continue;
    if (wanted === null) {
      if (next[field] === undefined) continue;
      delete next[field];
    } else {
      if (next[field] === wanted) continue;
      Object.assign(next, { [field]: wanted });
    }
    changed = true;
  }
  if (!changed) return { participant, changed: false };
  return {
    participant: { ...next, version: participant.version + 1, updatedAt: now.toISOString() },
    changed: true,
  };
}
