import type { NotifyEvent } from '../../events/notify-event';

/** A domain for the right side of a Message-ID (`crosscheck.example.com`). */
const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/**
 * One id as a piece of a Message-ID's left side (RFC 5322 `dot-atom-text`): letters, digits, `-`
 * and `_` as they are, every other UTF-8 byte as `=XX`. Injective, so two ids never share a thread.
 */
function atom(id: string): string {
  return [...Buffer.from(id, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(c) ? c : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** The Message-ID headers of one email of a thread. */
export interface ThreadHeaders {
  'Message-ID': string;
  'In-Reply-To'?: string;
  References?: string;
}

/**
 * Message-IDs that thread every email of one incident: the thread's root is
 * `<incident.<id>@<domain>>`, the id of the opening email, so later ones can reply to it knowing only
 * the incident id; each later email's own id adds its type and time (`.updated.1795598186000`), so
 * it is unique and the same on every retry. Region events thread under the incident open then, or
 * under their monitor's region; maintenance windows under the window.
 */
export function threadHeaders(event: NotifyEvent, messageDomain: string): ThreadHeaders {
  if (!DOMAIN.test(messageDomain)) throw new Error(`messageDomain must be a domain name (letters, digits, dots and hyphens), got ${JSON.stringify(messageDomain)}`);
  const at = Date.parse(event.timestamp);
  const stamp = Number.isNaN(at) ? atom(event.timestamp) : String(at);
  const id = (left: string) => `<${left}@${messageDomain}>`;
  let root: string;
  let own: string;
  switch (event.type) {
    case 'incident.opened':
    case 'incident.updated':
    case 'incident.resolved':
    case 'incident.reminder': {
      root = `incident.${atom(event.data.incident.id)}`;
      const kind = event.type === 'incident.reminder' ? `reminder-${event.data.reminder.sequence}` : event.type.slice('incident.'.length);
      own = event.type === 'incident.opened' ? root : `${root}.${kind}.${stamp}`;
      break;
    }
    case 'region.blind':
    case 'region.restored': {
      const incident = event.data.incident;
      root = incident ? `incident.${atom(incident.id)}` : `region.${atom(event.data.monitor.id)}.${atom(event.data.region)}`;
      own = `${root}.${event.type === 'region.blind' ? 'blind' : 'restored'}-${atom(event.data.region)}.${stamp}`;
      break;
    }
    case 'maintenance.started':
    case 'maintenance.ended':
      root = `maintenance.${atom(event.data.maintenance.id)}`;
      own = event.type === 'maintenance.started' ? root : `${root}.ended.${stamp}`;
      break;
  }
  if (own === root) return { 'Message-ID': id(root) };
  return { 'Message-ID': id(own), 'In-Reply-To': id(root), References: id(root) };
}
