export * from './credential-header';
export * from './redact';
export * from './log-redaction';
