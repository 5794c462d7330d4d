import { createWriteLocks } from '../src/write-locks';

describe('write locks', () => {
  it('runs writes to one document one after another, in the order they came', async () => {
    const locks = createWriteLocks();
    const log: string[] = [];
    const write = (name: string, ms: number) =>
      locks.run('plans', 'p1', async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        return name;
      });
    const results = await Promise.all([write('a', 20), write('b', 1), write('c', 5)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(locks.busy).toBe(0);
  });

  it('lets writes to different documents run side by side', async () => {
    const locks = createWriteLocks();
    let running = 0;
    let most = 0;
    await Promise.all(
      ['p1', 'p2', 'p3'].map((id) =>
        locks.run('plans', id, async () => {
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 10));
          running--;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  it('goes on after a failed write and passes its error to its caller only', async () => {
    const locks = createWriteLocks();
    const failed = locks.run('plans', 'p1', async () => {
      throw new Error('disk full');
    });
    const next = locks.run('plans', 'p1', async () => 'ok');
    await expect(failed).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('ok');
  });
});
