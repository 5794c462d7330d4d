export * from './entry';
export * from './chain';
export * from './audit-log';
export * from './verify-cli';
