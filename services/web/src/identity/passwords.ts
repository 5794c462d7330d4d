import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password, a malformed hash, or no hash at all (same cost either way). */
  verify(hash: string | null, password: string): Promise<boolean>;
}

/** argon2id. Checking a password for an unknown account costs as much as for a known one. */
export function createPasswordHasher({
  memoryKiB,
  passes,
}: {
  memoryKiB: number;
  passes: number;
}): PasswordHasher {
  const options = {
    type: argon2.argon2id as 2,
    memoryCost: memoryKiB,
    timeCost: passes,
    parallelism: 1,
  };
  let decoy: Promise<string> | undefined;
  return {
    hash: (password) => argon2.hash(password, options),
    async verify(hash, password) {
      const target =
        hash ?? (await (decoy ??= argon2.hash(randomBytes(16).toString('hex'), options)));
      try {
        return (await argon2.verify(target, password)) && hash !== null;
      } catch {
        return false;
      }
    },
  };
}
