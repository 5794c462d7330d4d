export * from './claims';
export * from './service-token';
export * from './access';
export * from './keys';
