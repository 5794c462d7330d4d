/**
 * Makes, once, the secrets a deployment needs, as files in one folder (a Docker volume): the
 * service-token key pair and the first administrator's password. Files that exist are kept, so
 * running it at every start changes nothing. Usage: node dist/cli/make-keys.js <folder>
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateServiceTokenKeys } from '@sanad/auth';

export const KEY_FILES = {
  privateKey: 'service-token.private.jwk',
  publicKey: 'service-token.public.jwk',
  adminPassword: 'bootstrap-admin-password',
} as const;

export function makeKeys(dir: string): { created: string[] } {
  mkdirSync(dir, { recursive: true });
  const created: string[] = [];
  const write = (name: string, value: string, mode: number) => {
    writeFileSync(join(dir, name), `${value}\n`, { mode, flag: 'wx' });
    created.push(name);
  };
  if (!existsSync(join(dir, KEY_FILES.privateKey)) || !existsSync(join(dir, KEY_FILES.publicKey))) {
    const { privateJwk, publicJwk } = generateServiceTokenKeys();
    for (const name of [KEY_FILES.privateKey, KEY_FILES.publicKey]) {
      if (existsSync(join(dir, name)))
        throw new Error(`${name} exists without its pair: remove it`);
    }
    write(KEY_FILES.privateKey, privateJwk, 0o600);
    write(KEY_FILES.publicKey, publicJwk, 0o644);
  }
  if (!existsSync(join(dir, KEY_FILES.adminPassword))) {
    write(KEY_FILES.adminPassword, randomBytes(18).toString('base64url'), 0o600);
  }
  return { created };
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: make-keys <folder>\n');
    process.exit(2);
  }
  const { created } = makeKeys(dir);
  process.stdout.write(
    created.length ? `created ${created.join(', ')} in ${dir}\n` : `keys already in ${dir}\n`,
  );
}
