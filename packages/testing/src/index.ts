export * from './servers';
export * from './wait-for';
export * from './kafka';
export * from './mongo';
export * from './services';
export * from './events';
export * from './tokens';
export * from './access-matrix';
