export * from './classification';
export * from './round-verdicts';
export * from './reconcile-policy';
export * from './region-reading';
export * from './region-evidence';
export * from './reconciliation';
export * from './reconcile';
