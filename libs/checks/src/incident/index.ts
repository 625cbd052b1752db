export * from './incident-policy';
export * from './incident-severity';
export * from './incident-ids';
export * from './incident-event';
export * from './monitor-incident-state';
export * from './monitor-mismatch.error';
export * from './region-watch';
export * from './incident-machine';
