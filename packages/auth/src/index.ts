export * from './claims';
export * from './service-token';
export * from './access';
export * from './keys';
export * from './participant-access';
export * from './peer-token';
