export * from './kafka';
export * from './topics';
export * from './errors';
export * from './producer';
export * from './inbox';
export * from './dead-letter';
export * from './consumer';
export * from './outbox';
