import { waitFor, within } from '../src/wait-for';

describe('waitFor', () => {
  it('returns the first truthy value the probe gives', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), {
      intervalMs: 1,
    });
    expect(value).toBe('after 3');
  });

  it('fails at its hard timeout naming what it waited for and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('not yet');
        },
        { timeoutMs: 30, intervalMs: 5, what: 'the alert' },
      ),
    ).rejects.toThrow(/waiting for the alert: not yet/);
  });

  it('within rejects a promise that does not settle in time', async () => {
    await expect(within(new Promise(() => undefined), 20, 'the job')).rejects.toThrow(/the job/);
  });
});
