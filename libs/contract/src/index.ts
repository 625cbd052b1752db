export * from './contract-version';
export * from './region';
export * from './key-layout';
export * from './redis-acl';
export * from './round-id';
export * from './check-job';
export * from './check-result';
export * from './redis-target';
