import type { AuditLog } from '@sanad/audit';
import type { PasswordHasher } from '../identity/passwords';
import type { SignInThrottle } from '../identity/sign-in-throttle';
import type { User } from '../domain/user';
import type { UserRepository } from '../persistence/users.repository';

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

/**
 * Email and password. The answer never says whether the account exists: an unknown email, a
 * disabled account and a wrong password all read "invalid", and cost the same time.
 */
export function makeSignIn(deps: {
  users: UserRepository;
  passwords: PasswordHasher;
  throttle: SignInThrottle;
  audit: Pick<AuditLog, 'record'>;
}) {
  return async ({
    email,
    password,
    ip,
  }: {
    email: string;
    password: string;
    ip: string;
  }): Promise<SignInResult> => {
    const verdict = await deps.throttle.check(email, ip);
    if (!verdict.allowed)
      return { ok: false, reason: 'locked', retryAfterSeconds: verdict.retryAfterSeconds };
    const user = await deps.users.findByEmail(email);
    const usable = user?.status === 'active' ? user.passwordHash : null;
    if (!(await deps.passwords.verify(usable, password)) || !user) {
      await deps.throttle.failed(email, ip);
      const after = await deps.throttle.check(email, ip);
      return after.allowed
        ? { ok: false, reason: 'invalid' }
        : { ok: false, reason: 'locked', retryAfterSeconds: after.retryAfterSeconds };
    }
    await deps.throttle.succeeded(email);
    await deps.audit.record({
      actor: { userId: user.id, role: user.role },
      action: 'sign-in',
      subject: { type: 'user', id: user.id },
      purpose: 'security',
    });
    return { ok: true, user };
  };
}
