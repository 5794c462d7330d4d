export * from './validation';
export * from './error-handler';
export * from './http-app';
export * from './authenticate';
export * from './metrics';
export * from './lifecycle';
export * from './readiness';
export * from './infrastructure';
