import { z } from 'zod';
import { EventCatalogue } from './catalogue';
import { Envelope } from './envelope';
import { dlqTopicOf, Topics } from './topics';

const messageName = (type: string, version: number) =>
  `${type.replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase())}V${version}`;

const publishers: Record<string, string> = {
  [Topics.placement]: 'placement',
  [Topics.checkin]: 'checkin',
  [Topics.alert]: 'alerting',
};

/** The AsyncAPI 3.0 document for every topic and event version in the catalogue. */
export function buildAsyncApi(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  for (const topic of Object.values(Topics)) {
    const defs = EventCatalogue.filter((d) => d.topic === topic);
    const channelId = topic.replace('.', '-');
    const channelMessages: Record<string, unknown> = {};
    for (const d of defs) {
      const name = messageName(d.type, d.version);
      messages[name] = {
        name: `${d.type} v${d.version}`,
        title: d.type,
        summary: d.summary,
        contentType: 'application/json',
        correlationId: { location: '$message.payload#/correlationId' },
        headers: {
          type: 'object',
          properties: {
            'event-type': { type: 'string', const: d.type },
            'event-version': { type: 'string', const: String(d.version) },
          },
        },
        payload: z.toJSONSchema(d.schema, { target: 'draft-07', io: 'output' }),
      };
      channelMessages[name] = { $ref: `#/components/messages/${name}` };
    }
    channels[channelId] = {
      address: topic,
      description: `Keyed by placement id; one placement's events stay in order. Bad messages go to ${dlqTopicOf(topic)}.`,
      messages: channelMessages,
    };
    operations[`publish-${channelId}`] = {
      action: 'send',
      summary: `The ${publishers[topic]} service publishes through its outbox.`,
      channel: { $ref: `#/channels/${channelId}` },
    };
    operations[`consume-${channelId}`] = {
      action: 'receive',
      summary: 'Consumers deduplicate by (consumer, eventId) and keep per-placement order.',
      channel: { $ref: `#/channels/${channelId}` },
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Sanad events',
      version: '1.0.0',
      description:
        'Events exchanged by the Sanad services over Kafka. Every event is wrapped in the envelope ' +
        'below; data carries ids and facts only, never names, contact details or diagnoses.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      schemas: { Envelope: z.toJSONSchema(Envelope, { target: 'draft-07' }) },
      messages,
    },
  };
}
