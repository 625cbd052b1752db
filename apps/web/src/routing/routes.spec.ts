import { describe, expect, it } from 'vitest';
import { hrefOf, links, parseRoute, type Route } from './routes';

describe('parseRoute', () => {
  it.each<[string, Route]>([
    ['', { page: 'monitors', filters: { q: '', classification: '', region: '' } }],
    ['#/', { page: 'monitors', filters: { q: '', classification: '', region: '' } }],
    ['#/monitors?q=shop&classification=masked_outage&region=eu-west', { page: 'monitors', filters: { q: 'shop', classification: 'masked_outage', region: 'eu-west' } }],
    ['#/monitors/new', { page: 'monitor-new' }],
    ['#/monitors/mon_2b4kq7xa3dhv6mnpz2re', { page: 'monitor', id: 'mon_2b4kq7xa3dhv6mnpz2re' }],
    ['#/monitors/mon_2b4kq7xa3dhv6mnpz2re/', { page: 'monitor', id: 'mon_2b4kq7xa3dhv6mnpz2re' }],
    ['#/monitors/mon_2b4kq7xa3dhv6mnpz2re/edit', { page: 'monitor-edit', id: 'mon_2b4kq7xa3dhv6mnpz2re' }],
    ['#/incidents', { page: 'incidents', state: 'open' }],
    ['#/incidents?state=resolved', { page: 'incidents', state: 'resolved' }],
    ['#/incidents?state=nonsense', { page: 'incidents', state: 'open' }],
    ['#/incidents/inc_mon_2b4kq7xa3dhv6mnpz2re_1795598126000', { page: 'incident', id: 'inc_mon_2b4kq7xa3dhv6mnpz2re_1795598126000' }],
    ['#/regions', { page: 'regions' }],
    ['#/webhooks', { page: 'webhooks' }],
    ['#/webhooks/wh_23ocd2bqb2n2g4vyifld', { page: 'webhook', id: 'wh_23ocd2bqb2n2g4vyifld' }],
    ['#/channels', { page: 'channels' }],
    ['#/channels/ch_23ocd2bqb2n2g4vyifld', { page: 'channel', id: 'ch_23ocd2bqb2n2g4vyifld' }],
    ['#/policies', { page: 'policies' }],
    ['#/policies/pol_23ocd2bqb2n2g4vyifld', { page: 'not-found', path: '/policies/pol_23ocd2bqb2n2g4vyifld' }],
    ['#/monitors/a%2Fb', { page: 'not-found', path: '/monitors/a%2Fb' }],
    ['#/somewhere', { page: 'not-found', path: '/somewhere' }],
    ['#/regions/eu-west', { page: 'not-found', path: '/regions/eu-west' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('reads back every link it makes', () => {
    const routes: Route[] = [
      { page: 'monitors', filters: { q: 'a b&c', classification: 'outage', region: '' } },
      { page: 'monitor', id: 'mon_x' },
      { page: 'monitor-edit', id: 'mon_x' },
      { page: 'monitor-new' },
      { page: 'incidents', state: 'all' },
      { page: 'incident', id: 'inc_mon_x_1' },
      { page: 'regions' },
      { page: 'webhooks' },
      { page: 'webhook', id: 'wh_x' },
      { page: 'channels' },
      { page: 'channel', id: 'ch_x' },
      { page: 'policies' },
    ];
    for (const route of routes) expect(parseRoute(hrefOf(route))).toEqual(route);
    expect(links.monitors()).toBe('#/monitors');
    expect(links.incidents()).toBe('#/incidents');
  });
});
