import { Readable } from 'node:stream';
import type { AuditEntry, AuditLog, VerifyResult } from '@sanad/audit';
import type { Caller } from '@sanad/auth';
import type { ServiceClient } from '../clients/service-client';

/** One service's audit log, as the admin audit page reads it. */
export interface AuditSource {
  name: string;
  page(caller: Caller, afterSeq: number, limit: number): Promise<AuditEntry[]>;
  verify(caller: Caller): Promise<VerifyResult>;
  /** The whole log as a JSON array, streamed. */
  export(caller: Caller): Promise<Readable>;
}

/** The web app's own log (sign-ins and changes to users). */
export function localAuditSource(name: string, log: AuditLog): AuditSource {
  return {
    name,
    page: (_caller, afterSeq, limit) => log.list({ afterSeq, limit }),
    verify: () => log.verify(),
    export: async () => Readable.from(jsonArray(log.exportAll())),
  };
}

/** Another service's log, through its admin-only audit API. */
export function remoteAuditSource(name: string, client: ServiceClient): AuditSource {
  return {
    name,
    async page(caller, afterSeq, limit) {
      const answer = await client.get<{ entries: AuditEntry[] }>(
        `/audit?afterSeq=${afterSeq}&limit=${limit}`,
        caller,
      );
      return answer?.entries ?? [];
    },
    async verify(caller) {
      const answer = await client.get<VerifyResult>('/audit/verify', caller);
      return answer ?? { ok: true, checked: 0, head: null };
    },
    async export(caller) {
      const res = await client.open('/audit/export', caller);
      if (!res.body) return Readable.from(['[]']);
      return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
    },
  };
}

async function* jsonArray(entries: AsyncIterable<AuditEntry>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const entry of entries) {
    yield `${first ? '' : ','}\n${JSON.stringify(entry)}`;
    first = false;
  }
  yield '\n]\n';
}
