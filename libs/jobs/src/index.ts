export * from './job-definition';
export * from './job-registry';
export * from './worker-watchdog';
