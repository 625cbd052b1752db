import { describe, expect, it } from 'vitest';
import { degradedOpened, maintenance, maskedBecameOutage, maskedOutageOpened, maskedOutageReminder, maskedOutageResolved, regionBlind, regionRestored, regionalOutageOpened } from '../../testing/sample-events';
import { pagerDutyEvent, pagerDutyMustSend } from './pagerduty-event';

const OPTIONS = { routingKey: 'R0UT1NGKEY0000000000000000000000', dashboardUrl: 'https://crosscheck.example.com' };

describe('pagerDutyEvent', () => {
  it('triggers on open and resolves with the same dedup_key', () => {
    const trigger = pagerDutyEvent(maskedOutageOpened(), OPTIONS)!;
    const resolve = pagerDutyEvent(maskedOutageResolved(), OPTIONS)!;
    expect(trigger.event_action).toBe('trigger');
    expect(resolve).toEqual({ routing_key: OPTIONS.routingKey, event_action: 'resolve', dedup_key: trigger.dedup_key });
    expect(trigger.dedup_key).toBe('inc_mon_2b4kq7xa3dhv6mnpz2re_1795597200000');
    expect(trigger.payload).toMatchObject({ source: 'shop.example.com', component: 'Shop storefront', class: 'masked_outage', group: 'ap-south,eu-west,us-east' });
    expect(trigger.links?.[0]).toEqual({ href: 'https://crosscheck.example.com/#/incidents/inc_mon_2b4kq7xa3dhv6mnpz2re_1795597200000', text: 'Incident in Crosscheck' });
  });

  it('maps critical, major and minor to critical, error and warning', () => {
    expect(pagerDutyEvent(maskedOutageOpened(), OPTIONS)!.payload!.severity).toBe('critical');
    expect(pagerDutyEvent(regionalOutageOpened(), OPTIONS)!.payload!.severity).toBe('error');
    expect(pagerDutyEvent(degradedOpened(), OPTIONS)!.payload!.severity).toBe('warning');
  });

  it("carries every region's verdict, causes and key evidence", () => {
    const regions = pagerDutyEvent(maskedOutageOpened(), OPTIONS)!.payload!.custom_details['regions'] as Record<string, { verdict: string; causes: Array<{ code: string }>; evidence: { bypassErrorPageVendor: string | null } }>;
    expect(Object.keys(regions).sort()).toEqual(['ap-south', 'eu-west', 'us-east']);
    expect(regions['eu-west']).toMatchObject({ verdict: 'down', causes: [{ code: 'stale_cache' }], evidence: { bypassErrorPageVendor: 'Varnish' } });
  });

  it('opens an alert of its own for a blind region and resolves it when the region is back', () => {
    const blind = pagerDutyEvent(regionBlind(), OPTIONS)!;
    const back = pagerDutyEvent(regionRestored(), OPTIONS)!;
    expect(blind.event_action).toBe('trigger');
    expect(blind.payload!.severity).toBe('warning');
    expect(back).toMatchObject({ event_action: 'resolve', dedup_key: blind.dedup_key });
  });

  it('sends nothing for maintenance windows, and re-triggers a reminder on the same alert', () => {
    expect(pagerDutyEvent(maintenance('maintenance.started'), OPTIONS)).toBeNull();
    expect(pagerDutyEvent(maskedOutageReminder(), OPTIONS)!.dedup_key).toBe(pagerDutyEvent(maskedOutageOpened(), OPTIONS)!.dedup_key);
  });

  it('uses the source it is given', () => {
    expect(pagerDutyEvent(maskedOutageOpened(), { ...OPTIONS, source: 'shop-prod' })!.payload!.source).toBe('shop-prod');
  });
});

describe('pagerDutyMustSend', () => {
  it('re-triggers an update only when its summary changed', () => {
    const opened = pagerDutyEvent(maskedOutageOpened(), OPTIONS)!;
    const updated = pagerDutyEvent(maskedBecameOutage(), OPTIONS)!;
    expect(pagerDutyMustSend(null, opened)).toBe(true);
    expect(pagerDutyMustSend(opened.payload!.summary, opened)).toBe(false);
    expect(pagerDutyMustSend(opened.payload!.summary, updated)).toBe(true);
    expect(updated.dedup_key).toBe(opened.dedup_key);
  });

  it('always sends a resolve', () => {
    const resolve = pagerDutyEvent(maskedOutageResolved(), OPTIONS)!;
    expect(pagerDutyMustSend('anything', resolve)).toBe(true);
    expect(pagerDutyMustSend(null, resolve)).toBe(true);
  });
});
