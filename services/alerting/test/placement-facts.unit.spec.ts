import { randomUUID } from 'node:crypto';
import { knownScope } from '@sanad/auth';
import { placementRecordedEvent } from '@sanad/testing';
import { factsFrom } from '../src/domain/placement-facts';

describe('placement facts', () => {
  it('learn the whole scope of the placement (coach, employer, programme) from placement.recorded', () => {
    const event = placementRecordedEvent({ placementId: randomUUID() });
    const update = factsFrom(event);
    expect(knownScope(update)).toEqual({
      coachId: event.data.coachId,
      employerId: event.data.employerId,
      programmeId: event.data.programmeId,
    });
  });
});
