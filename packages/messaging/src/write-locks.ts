/**
 * One writer at a time per document, within this process.
 *
 * FerretDB 1.x (SQLite) applies an update by reading the document and then writing it back in a
 * separate step, with nothing in between to stop another update of the same document: two
 * concurrent updates lose one of them, and even a conditional update (`{_id, version}`) can succeed
 * twice. MongoDB does not have this problem, but our code must be right on both. So every update of
 * an existing document (a repository's write, the outbox relay's "mark sent") runs under this lock.
 * Across processes, writes to one aggregate are kept apart by design: one consumer instance owns a
 * placement's partition, and a service that updates aggregates from several entry points runs as
 * one instance on FerretDB (see README, "Running on FerretDB").
 */
export interface WriteLocks {
  run<T>(collection: string, id: string, write: () => Promise<T>): Promise<T>;
  /** Documents with a write running or waiting (for tests and metrics). */
  readonly busy: number;
}

export function createWriteLocks(): WriteLocks {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run(collection, id, write) {
      const key = `${collection}/${id}`;
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(write, write);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      try {
        return await result;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
    get busy() {
      return tails.size;
    },
  };
}
