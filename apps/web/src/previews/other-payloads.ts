import { isObject, stringAt } from './json-value';

/**
 * The PagerDuty Events v2 body and the mail of an email channel, read for their previews: the
 * fields a person looks at first, each `null` when the payload has none.
 */

/** `trigger · critical · dedup_key inc_…`: what PagerDuty will do with the event, in one line. */
export interface PagerDutyPreview {
  action: string | null;
  severity: string | null;
  dedupKey: string | null;
  summary: string | null;
  source: string | null;
}

export function readPagerDutyEvent(payload: unknown): PagerDutyPreview {
  const event = isObject(payload) ? payload : {};
  const inner = isObject(event['payload']) ? event['payload'] : {};
  return {
    action: stringAt(event, 'event_action'),
    severity: stringAt(inner, 'severity'),
    dedupKey: stringAt(event, 'dedup_key'),
    summary: stringAt(inner, 'summary'),
    source: stringAt(inner, 'source'),
  };
}

/** A mail: its subject, its plain text, its HTML (drawn only in a sandboxed frame) and its headers. */
export interface EmailPreview {
  subject: string | null;
  text: string | null;
  html: string | null;
  headers: Array<[string, string]>;
}

export function readEmail(payload: unknown): EmailPreview {
  const mail = isObject(payload) ? payload : {};
  const headers = isObject(mail['headers']) ? Object.entries(mail['headers']).filter((entry): entry is [string, string] => typeof entry[1] === 'string') : [];
  return { subject: stringAt(mail, 'subject'), text: stringAt(mail, 'text'), html: stringAt(mail, 'html'), headers };
}
