import { describe, expect, it } from 'vitest';
import { maintenance, maskedBecameOutage, maskedOutageOpened, maskedOutageReminder, maskedOutageResolved, regionBlind } from '../../testing/sample-events';
import { emailMessage } from './email-message';
import { threadHeaders } from './message-id';

const OPTIONS = { from: 'alerts@crosscheck.example.com', to: 'oncall@example.com', messageDomain: 'crosscheck.example.com', dashboardUrl: 'https://crosscheck.example.com' };

describe('emailMessage threading', () => {
  it('opens the thread with a Message-ID derived from the incident id, and every later email replies to it', () => {
    const root = '<incident.inc_mon_2b4kq7xa3dhv6mnpz2re_1795597200000@crosscheck.example.com>';
    expect(emailMessage(maskedOutageOpened(), OPTIONS).headers).toEqual({ 'Message-ID': root });
    const later = [maskedBecameOutage(), maskedOutageReminder(), maskedOutageResolved()].map((e) => emailMessage(e, OPTIONS).headers);
    for (const headers of later) expect(headers).toMatchObject({ 'In-Reply-To': root, References: root });
    const ids = later.map((h) => h['Message-ID']);
    expect(new Set([root, ...ids]).size).toBe(4);
    expect(ids[0]).toBe('<incident.inc_mon_2b4kq7xa3dhv6mnpz2re_1795597200000.updated.1795598340000@crosscheck.example.com>');
  });

  it('gives the same Message-ID on every retry', () => {
    expect(emailMessage(maskedOutageResolved(), OPTIONS).headers).toEqual(emailMessage(maskedOutageResolved(), OPTIONS).headers);
  });

  it('threads a region event without an incident under its region, and a maintenance window under itself', () => {
    expect(threadHeaders(regionBlind(), 'd.example')['References']).toBe('<region.mon_2b4kq7xa3dhv6mnpz2re.ap-south@d.example>');
    expect(threadHeaders(maintenance('maintenance.started'), 'd.example')).toEqual({ 'Message-ID': '<maintenance.mw_23ocd2bqb2n2g4vyifld@d.example>' });
    expect(threadHeaders(maintenance('maintenance.ended'), 'd.example')['In-Reply-To']).toBe('<maintenance.mw_23ocd2bqb2n2g4vyifld@d.example>');
  });

  it('encodes an id with characters a Message-ID cannot hold, and refuses a domain that is not one', () => {
    const event = maskedOutageOpened();
    if (event.type !== 'incident.opened') throw new Error('sample');
    event.data.incident.id = 'inc a>b@c';
    expect(threadHeaders(event, 'd.example')['Message-ID']).toBe('<incident.inc=20a=3Eb=40c@d.example>');
    expect(() => threadHeaders(event, 'd.example>\r\nBcc: x@y')).toThrow(/messageDomain/);
  });

  it('reads as text, and links to the dashboard', () => {
    const message = emailMessage(maskedOutageOpened(), OPTIONS);
    expect(message.subject).toBe('[Crosscheck] Masked outage: Shop storefront');
    expect(message.text).toContain('  - eu-west and us-east: Varnish served a 200 aged 3 h; the bypass got 503 from Varnish\n');
    expect(message.text).toContain('Incident: https://crosscheck.example.com/#/incidents/inc_mon_2b4kq7xa3dhv6mnpz2re_1795597200000');
    expect(message.html).toContain('<a href="https://crosscheck.example.com/#/incidents/inc_mon_2b4kq7xa3dhv6mnpz2re_1795597200000">Open the incident</a>');
  });
});
