export * from './claims';
export * from './service-token';
export * from './access';
