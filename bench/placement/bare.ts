/**
 * The baseline: a bare express app with `express.json()` and the service's own body schema
 * (`RecordPlacementBody`), writing the same placement document, outbox entry included, with ONE
 * native `insertOne` into a collection with the same indexes. No token, no idempotency, no
 * participant lookup, no event validation, no outbox relay: only what any handler must do.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Db, IndexDescription } from 'mongodb';
import { PlacementRecordedV1 } from '@sanad/contracts';
import { RecordPlacementBody } from '@sanad/placement-service/dist/http/placements.schemas';

/** The indexes the service's placement model declares (mongoose creates them at start). */
export const PLACEMENT_INDEXES: IndexDescription[] = [
  { key: { participantId: 1 } },
  { key: { coachId: 1, recordedAt: -1 } },
  { key: { employerId: 1, recordedAt: -1 } },
  { key: { programmeId: 1, recordedAt: -1 } },
  { key: { recordedAt: -1 } },
];

/** The same document the service stores: the placement and its outbox with the recorded event. */
export function bareDocument(body: RecordPlacementBody, id: string, now: Date) {
  const {
    participantId,
    employerId,
    programmeId,
    coachId,
    supervisorId,
    accommodations,
    ...terms
  } = body;
  const event = {
    eventId: randomUUID(),
    type: PlacementRecordedV1.type,
    version: PlacementRecordedV1.version,
    occurredAt: now.toISOString(),
    producer: 'placement',
    correlationId: randomUUID(),
    causationId: null,
    key: id,
    data: { placementId: id, participantId, employerId, programmeId, coachId, ...terms },
  };
  return {
    _id: id,
    participantId,
    employerId,
    programmeId,
    coachId,
    terms,
    supervisorId: supervisorId ?? null,
    accommodations: accommodations ?? [],
    status: 'recorded' as const,
    version: 1,
    recordedAt: now,
    confirmedAt: null,
    ending: null,
    commandKeys: [] as string[],
    outbox: [{ eventId: event.eventId, event }],
  };
}
export type BareDocument = ReturnType<typeof bareDocument>;

export interface BareServer {
  port: number;
  stop(): Promise<void>;
}

export async function startBare(db: Db): Promise<BareServer> {
  const placements = db.collection<BareDocument>('placements');
  await placements.createIndexes(PLACEMENT_INDEXES);
  const app = express();
  app.use(express.json());
  app.post('/placements', async (req, res) => {
    const parsed = RecordPlacementBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ issues: parsed.error.issues });
      return;
    }
    const now = new Date();
    const doc = bareDocument(parsed.data, randomUUID(), now);
    await placements.insertOne(doc);
    const { _id: id, outbox: _outbox, terms, recordedAt: _at, commandKeys: _keys, ...rest } = doc;
    res
      .status(201)
      .location(`/placements/${id}`)
      .json({
        placement: { id, ...rest, ...terms, recordedAt: now.toISOString() },
        employerLink: { sent: false },
      });
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
