import { decideDuplicate } from '../src/inbox';

describe('what to do with an event claimed before', () => {
  const now = { session: 'run-2', topic: 'placement.events', partition: 1, startOffset: '100' };
  const claim = (
    over: Partial<{ session: string; topic: string; partition: number; offset: string }>,
  ) => ({
    session: 'run-1',
    topic: 'placement.events',
    partition: 1,
    offset: '50',
    ...over,
  });

  it('passes over what this consumer run claimed itself: a duplicate delivery', () => {
    expect(decideDuplicate(claim({ session: 'run-2', offset: '120' }), now)).toBe('pass-over');
  });

  it('passes over what was claimed below the offset this run started from: it was committed', () => {
    expect(decideDuplicate(claim({ offset: '99' }), now)).toBe('pass-over');
  });

  it('handles again what a run that stopped before committing had claimed', () => {
    expect(decideDuplicate(claim({ offset: '100' }), now)).toBe('handle-again');
    expect(decideDuplicate(claim({ offset: '180' }), now)).toBe('handle-again');
  });

  it('handles again when the claim came from another partition or topic, or is gone', () => {
    expect(decideDuplicate(claim({ partition: 2, offset: '1' }), now)).toBe('handle-again');
    expect(decideDuplicate(claim({ topic: 'other', offset: '1' }), now)).toBe('handle-again');
    expect(decideDuplicate(undefined, now)).toBe('handle-again');
  });

  it('compares offsets as numbers, not as text', () => {
    expect(decideDuplicate(claim({ offset: '9' }), { ...now, startOffset: '10' })).toBe(
      'pass-over',
    );
    expect(decideDuplicate(claim({ offset: '10' }), { ...now, startOffset: '9' })).toBe(
      'handle-again',
    );
  });
});
