export * from './link';
export * from './link.repository';
