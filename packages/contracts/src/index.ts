export * from './common';
export * from './topics';
export * from './envelope';
export * from './catalogue';
export * from './jobs';
export * from './events/placement';
export * from './events/checkin';
export * from './events/alert';
