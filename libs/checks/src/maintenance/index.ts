export * from './rrule';
export * from './cron';
export * from './maintenance-schedule';
