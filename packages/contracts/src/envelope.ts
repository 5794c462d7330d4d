import { z } from 'zod';
import { Id, IsoDateTime } from './common';
import type { Topic } from './topics';

/**
 * Every event travels in this envelope. `key` is the placement id: one placement's events share
 * a partition and so stay in order. `data` carries ids and facts, never names, contacts or diagnoses.
 */
export const Envelope = z
  .object({
    eventId: Id,
    type: z.string().regex(/^[a-z]+(\.[a-z-]+)+$/, 'an event type such as placement.recorded'),
    version: z.number().int().min(1),
    occurredAt: IsoDateTime,
    producer: z.string().min(1).max(64),
    correlationId: z.string().min(1).max(128),
    causationId: Id.nullable(),
    key: Id,
    data: z.unknown(),
  })
  .strict();
export type Envelope = z.infer<typeof Envelope>;

/** What is known about one event type and version: its topic, its words and its full schema. */
export interface EventDefinition<
  T extends string = string,
  V extends number = number,
  D extends z.ZodType = z.ZodType,
> {
  readonly type: T;
  readonly version: V;
  readonly topic: Topic;
  readonly summary: string;
  readonly data: D;
  readonly schema: z.ZodObject<{
    eventId: typeof Id;
    type: z.ZodLiteral<T>;
    version: z.ZodLiteral<V>;
    occurredAt: typeof IsoDateTime;
    producer: z.ZodString;
    correlationId: z.ZodString;
    causationId: z.ZodNullable<typeof Id>;
    key: typeof Id;
    data: D;
  }>;
}

export function defineEvent<T extends string, V extends number, D extends z.ZodType>(def: {
  type: T;
  version: V;
  topic: Topic;
  summary: string;
  data: D;
}): EventDefinition<T, V, D> {
  const schema = Envelope.extend({
    type: z.literal(def.type),
    version: z.literal(def.version),
    data: def.data,
  }).meta({ id: `${def.type}.v${def.version}`, description: def.summary });
  return { ...def, schema } as EventDefinition<T, V, D>;
}

export type EventOf<E extends EventDefinition> = z.infer<E['schema']>;
export type DataOf<E extends EventDefinition> = z.infer<E['data']>;
