/**
 * The load generator, in a child process of its own so that it does not share the event loop (or
 * the CPU time measured) of the server under test. `fork`ed by `run.ts`; takes jobs over IPC.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  connections: number;
  seconds: number;
  /** `Authorization` header value (the service), or null (bare). */
  authorization: string | null;
  /** Prefix of the Idempotency-Keys: unique per job, so that no request is ever a replay. */
  keyPrefix: string;
  /** The coach every placement names (the caller the token is for). */
  coachId: string;
  programmeId: string;
  /**
   * The employer every placement names: one the service knows (it refuses unknown employers), made
   * once through POST /employers. null: a new random id per request (a service without employers).
   */
  employerId: string | null;
}

export interface LoadResult {
  connections: number;
  durationSec: number;
  sent: number;
  /** Responses by status code. */
  statusCodes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

type Message = { id: number; job: LoadJob };
type Reply = { id: number; result?: LoadResult; error?: string };

/** A distinct placement: a new participant, so nothing is a replay or waits on another's lock. */
export const placementBody = (coachId: string, programmeId: string, employerId: string | null) => ({
  participantId: randomUUID(),
  employerId: employerId ?? randomUUID(),
  programmeId,
  coachId,
  jobTitle: 'Library assistant',
  startDate: '2026-09-01',
  hoursPerWeek: 24,
  wage: { amount: 280, currency: 'OMR', period: 'month' },
});

async function runJob(job: LoadJob): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    pipelining: 1,
    duration: job.seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/placements',
        setupRequest: (request) => {
          n += 1;
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              ...(job.authorization ? { authorization: job.authorization } : {}),
              'idempotency-key': `${job.keyPrefix}-${n}`,
            },
            body: JSON.stringify(placementBody(job.coachId, job.programmeId, job.employerId)),
          };
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> })
    .statusCodeStats;
  for (const [code, { count }] of Object.entries(stats ?? {})) statusCodes[code] = count;
  const ok = Object.entries(statusCodes)
    .filter(([code]) => code.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    connections: job.connections,
    durationSec: result.duration,
    sent: n,
    statusCodes,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    reqPerSec: ok / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
  };
}

if (require.main === module) {
  process.on('message', (message: Message) => {
    runJob(message.job).then(
      (result) => process.send?.({ id: message.id, result } satisfies Reply),
      (error: unknown) => process.send?.({ id: message.id, error: String(error) } satisfies Reply),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

export type { Message as LoadMessage, Reply as LoadReply };
