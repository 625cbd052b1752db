import { WEBHOOK_EVENT_SCHEMAS } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { isIncidentScoped } from '../events/notify-event';
import { SAMPLE_OPTIONS, SCENARIOS, degradedOpened, healthOutageOpened, maskedBecameOutage, maskedOutageOpened, maskedOutageReminder, maskedOutageResolved, outageOpened, regionBlind, regionalOutageOpened } from '../testing/sample-events';
import { describeIncident } from './describe-incident';

describe('describeIncident', () => {
  it('renders the samples from events the contract accepts', () => {
    for (const [name, build] of Object.entries(SCENARIOS)) {
      const event = build();
      if (event.type in WEBHOOK_EVENT_SCHEMAS) {
        const schema = WEBHOOK_EVENT_SCHEMAS[event.type as keyof typeof WEBHOOK_EVENT_SCHEMAS];
        expect(schema.safeParse(event).success, name).toBe(true);
      }
    }
  });

  it('says a masked outage in plain words, with the decisive evidence grouped by what the regions saw', () => {
    const d = describeIncident(maskedOutageOpened(), SAMPLE_OPTIONS);
    expect(d.title).toBe('Masked outage: Shop storefront');
    expect(d.classificationWords).toBe('Masked outage: a cache hides a real outage');
    expect(d.severity).toBe('critical');
    expect(d.decisiveEvidence).toEqual(['eu-west and us-east: Varnish served a 200 aged 3 h; the bypass got 503 from Varnish', 'ap-south: connection refused']);
    expect(d.since).toBe('2026-11-25T08:59:00.000Z');
    expect(d.summary).toBe(
      'Shop storefront: masked outage (a cache hides a real outage) in ap-south, eu-west and us-east since 08:59 UTC on 25 Nov 2026. ' +
        'eu-west and us-east: Varnish served a 200 aged 3 h; the bypass got 503 from Varnish; ap-south: connection refused.',
    );
    expect(d.links).toEqual({
      incident: 'https://crosscheck.example.com/#/incidents/inc_mon_2b4kq7xa3dhv6mnpz2re_1795597200000',
      monitor: 'https://crosscheck.example.com/#/monitors/mon_2b4kq7xa3dhv6mnpz2re',
    });
    expect(d.regions.map((r) => [r.region, r.decisive])).toEqual([['eu-west', true], ['us-east', true], ['ap-south', true]]);
  });

  it('names the error page vendor, the timeout and the DNS failure of an outage', () => {
    expect(describeIncident(outageOpened()).decisiveEvidence).toEqual([
      'ap-south: DNS lookup failed',
      "eu-west: nginx's own 502 error page",
      'us-east: timed out after 10 s',
    ]);
  });

  it('names the failed dependencies of a health document', () => {
    expect(describeIncident(healthOutageOpened()).decisiveEvidence).toEqual(['eu-west and us-east: the health document says db and redis are down']);
  });

  it('keeps the regions that are up apart from the decisive ones', () => {
    const d = describeIncident(regionalOutageOpened());
    expect(d.classificationWords).toBe('Regional outage: down in some regions, up in others');
    expect(d.severity).toBe('major');
    expect(d.decisiveEvidence).toEqual(["eu-west: nginx's own 502 error page"]);
    expect(d.regions.filter((r) => !r.decisive).map((r) => r.words)).toEqual(['up (200 in 120 ms)', 'up (200 in 120 ms)']);
  });

  it('says what is degraded', () => {
    const d = describeIncident(degradedOpened());
    expect(d.severity).toBe('minor');
    expect(d.decisiveEvidence).toEqual(['eu-west: slow: 4.8 s', 'us-east: the health document says search is degraded']);
  });

  it('says what an update changed', () => {
    const d = describeIncident(maskedBecameOutage());
    expect(d.title).toBe('Outage: Shop storefront (was masked outage)');
    expect(d.summary).toContain('now an outage (the service is down) in ap-south, eu-west and us-east, was a masked outage; trouble since 08:59 UTC on 25 Nov 2026');
  });

  it('says how long a resolved incident lasted, from the event times alone', () => {
    const d = describeIncident(maskedOutageResolved());
    expect(d.title).toBe('Resolved: Shop storefront (masked outage, 42 min)');
    expect(d.duration).toBe('42 min');
    expect(d.decisiveEvidence).toEqual([]);
    expect(d.summary).toBe(
      'Shop storefront: a masked outage resolved after 42 min; healthy again in ap-south, eu-west and us-east. It began at 08:59 UTC on 25 Nov 2026 and ended at 09:41 UTC on 25 Nov 2026.',
    );
  });

  it('says a resolve by deletion is one', () => {
    const event = maskedOutageResolved();
    if (!isIncidentScoped(event)) throw new Error('sample is an incident event');
    event.data.reason = 'monitor_deleted';
    expect(describeIncident(event).summary).toBe('Shop storefront: a masked outage closed after 42 min because the monitor was deleted. It began at 08:59 UTC on 25 Nov 2026.');
  });

  it('says a blind region is blind, not down', () => {
    const d = describeIncident(regionBlind());
    expect(d.severity).toBe('warning');
    expect(d.title).toBe('Region blind: ap-south for Shop storefront');
    expect(d.decisiveEvidence).toEqual(['ap-south: no answer: no result before the deadline: no live agent in the region (region blind)']);
    expect(d.summary).toContain('a blind region never counts as down');
  });

  it('says how long an unacknowledged incident has been open in a reminder', () => {
    const d = describeIncident(maskedOutageReminder());
    expect(d.title).toBe('Still open: masked outage of Shop storefront (30 min)');
    expect(d.summary).toContain('not acknowledged (reminder 2)');
  });

  it('gives the same words for the same event, and no links without a dashboard URL', () => {
    const one = describeIncident(maskedOutageOpened());
    expect(describeIncident(maskedOutageOpened())).toEqual(one);
    expect(one.links).toEqual({});
  });
});
