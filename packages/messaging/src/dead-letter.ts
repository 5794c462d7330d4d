import type { KafkaMessage } from 'kafkajs';
import { dlqTopicOf } from '@sanad/contracts';
import type { EventPublisher } from './producer';

/** Headers a dead-lettered message carries so that it can be understood and replayed. */
export const DeadLetterHeaders = {
  reason: 'dlq-reason',
  consumer: 'dlq-consumer',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  failedAt: 'dlq-failed-at',
} as const;

export interface DeadLetter {
  consumer: string;
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: string;
}

/** Copies the original message, bytes and key unchanged, to `<topic>.dlq` with the reason. */
export async function deadLetter(publisher: EventPublisher, letter: DeadLetter): Promise<void> {
  const { message } = letter;
  await publisher.sendRaw(dlqTopicOf(letter.topic), [
    {
      key: message.key,
      value: message.value,
      headers: {
        ...message.headers,
        [DeadLetterHeaders.reason]: letter.reason.slice(0, 1_000),
        [DeadLetterHeaders.consumer]: letter.consumer,
        [DeadLetterHeaders.originalTopic]: letter.topic,
        [DeadLetterHeaders.originalPartition]: String(letter.partition),
        [DeadLetterHeaders.originalOffset]: message.offset,
        [DeadLetterHeaders.failedAt]: new Date().toISOString(),
      },
    },
  ]);
}
