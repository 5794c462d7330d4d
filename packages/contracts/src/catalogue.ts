import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Envelope, type EventDefinition, type EventOf } from './envelope';
import { AlertEventDefinitions } from './events/alert';
import { CheckinEventDefinitions } from './events/checkin';
import { PlacementEventDefinitions } from './events/placement';

/** Every event this system publishes, every version still in use. */
export const EventCatalogue: readonly EventDefinition[] = [
  ...PlacementEventDefinitions,
  ...CheckinEventDefinitions,
  ...AlertEventDefinitions,
];

const keyOf = (type: string, version: number) => `${type}@v${version}`;
const byTypeAndVersion = new Map(EventCatalogue.map((d) => [keyOf(d.type, d.version), d]));

export function findEventDefinition(type: string, version: number): EventDefinition | undefined {
  return byTypeAndVersion.get(keyOf(type, version));
}

/**
 * The events one consumer handles, chosen from the catalogue. A valid event of another type on the
 * same topic is not for this consumer and is passed over; one of these types that fails its schema
 * is a bad message.
 */
export interface EventSchema<E> {
  readonly definitions: readonly EventDefinition[];
  handles(type: string, version: number): boolean;
  safeParse(value: unknown): z.ZodSafeParseResult<E>;
}

export function eventSchema<const D extends readonly EventDefinition[]>(
  ...definitions: D
): EventSchema<EventOf<D[number]>> {
  const schemas = new Map(definitions.map((d) => [keyOf(d.type, d.version), d.schema]));
  return {
    definitions,
    handles: (type, version) => schemas.has(keyOf(type, version)),
    safeParse(value) {
      // One parse in the common case: the event's own schema covers the envelope too.
      const head = (value ?? {}) as { type?: unknown; version?: unknown };
      const own =
        typeof head.type === 'string' && typeof head.version === 'number'
          ? schemas.get(keyOf(head.type, head.version))
          : undefined;
      if (own) return own.safeParse(value) as z.ZodSafeParseResult<EventOf<D[number]>>;
      const envelope = Envelope.safeParse(value);
      if (!envelope.success) return envelope as z.ZodSafeParseResult<EventOf<D[number]>>;
      const message = `not handled here: ${envelope.data.type} v${envelope.data.version}`;
      const error = new z.ZodError([{ code: 'custom', message, path: ['type'], input: value }]);
      return { success: false, error } as z.ZodSafeParseResult<EventOf<D[number]>>;
    },
  };
}

export interface EventContext {
  producer: string;
  correlationId: string;
  /** The event or request that caused this one; null for a request from a person. */
  causationId: string | null;
}

/**
 * Builds and validates one event. The key is always the placement id, set here and nowhere else,
 * so that one placement's history keeps its order on its partition.
 */
export function createEvent<E extends EventDefinition>(
  definition: E,
  data: z.input<E['data']> & { placementId: string },
  context: EventContext,
  at: Date,
  eventId: string = randomUUID(),
): EventOf<E> {
  return definition.schema.parse({
    eventId,
    type: definition.type,
    version: definition.version,
    occurredAt: at.toISOString(),
    producer: context.producer,
    correlationId: context.correlationId,
    causationId: context.causationId,
    key: data.placementId,
    data,
  }) as EventOf<E>;
}

/** The context for an event caused by another: same correlation, causation = that event. */
export function causedBy(event: Envelope, producer: string): EventContext {
  return { producer, correlationId: event.correlationId, causationId: event.eventId };
}
