import type { Admin } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { ReadinessCheck } from './http-app';

export const mongoReady =
  (db: Connection): ReadinessCheck =>
  async () => {
    if (!db.db) throw new Error('not connected');
    await db.db.admin().ping();
  };

export const kafkaReady =
  (admin: Admin): ReadinessCheck =>
  async () => {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no brokers');
  };

export const redisReady =
  (redis: Redis): ReadinessCheck =>
  async () => {
    if ((await redis.ping()) !== 'PONG') throw new Error('no PONG');
  };
