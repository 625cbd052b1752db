export * from './events/notify-event';
export * from './events/reminder-event';
export * from './events/maintenance-event';
export * from './links/dashboard-links';
export * from './describe/incident-description';
export * from './describe/describe-incident';
export { regionWords, cacheName, type RegionDigest } from './words/evidence-words';
export { classificationWords } from './words/classification-words';
export * from './channels/pagerduty/pagerduty-event';
export * from './channels/slack/slack-message';
export { slackMrkdwn } from './channels/slack/slack-text';
export * from './channels/teams/teams-message';
export * from './channels/email/email-message';
export { threadHeaders, type ThreadHeaders } from './channels/email/message-id';
export {
  maskedOutageOpened as sampleMaskedOutageOpened,
  maskedBecameOutage as sampleMaskedBecameOutage,
  maskedOutageResolved as sampleMaskedOutageResolved,
  maskedOutageReminder as sampleMaskedOutageReminder,
  regionBlind as sampleRegionBlind,
  regionRestored as sampleRegionRestored,
  maintenance as sampleMaintenance,
} from './testing/sample-events';
