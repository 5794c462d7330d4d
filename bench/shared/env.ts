import os from 'node:os';

/**
 * What every benchmark's settings and results share: integers and switches read from the
 * environment (a bad value stops the run, naming the variable), and the machine the run was on.
 */
export function intFromEnv(name: string, fallback: number, min: number, max = Infinity): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `from ${min} to ${max}`;
    throw new Error(`${name} must be an integer ${range}, got "${raw}"`);
  }
  return value;
}

export function boolFromEnv(name: string, fallback: boolean): boolean {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`${name} must be 1/true or 0/false, got "${raw}"`);
}

/** The node, platform and CPUs of this run, for its result file. */
export const hostEnvironment = () => ({
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: os.cpus().length,
});
