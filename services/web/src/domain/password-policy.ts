/**
 * NIST SP 800-63B: long passwords, no composition rules, refuse the obvious ones. 12 characters at
 * least; at most 200, because hashing has a cost.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

const OBVIOUS = new Set([
  'password1234',
  'passwordpassword',
  '123456789012',
  'qwertyuiop12',
  'sanadsanad12',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'administrator',
]);

export type PasswordProblem = 'too-short' | 'too-long' | 'obvious' | 'contains-email';

export function passwordProblem(password: string, email: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'too-short';
  if (length > PASSWORD_MAX) return 'too-long';
  const lower = password.toLowerCase();
  if (OBVIOUS.has(lower) || /^(.)\1+$/.test(password)) return 'obvious';
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (local.length >= 4 && lower.includes(local)) return 'contains-email';
  return null;
}
