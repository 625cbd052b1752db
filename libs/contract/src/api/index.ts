export * from './field-issue';
export * from './resource-key';
export * from './invalid-monitor.error';
export * from './monitor-input';
export * from './webhook-input';
export * from './region-credentials';
export * from './document-changes';
export * from './apply-lock';
