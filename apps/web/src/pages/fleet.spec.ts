import type { FleetMonitorView } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { countByClassification, matchesFilters, regionsOf, worstFirst } from './fleet';

function monitor(name: string, classification: string | null, regions: string[]): FleetMonitorView {
  return {
    monitorId: `mon_${name}`,
    key: name,
    name,
    url: `https://${name}.example/`,
    intervalSeconds: 60,
    round: null,
    classification: classification === null ? null : ({ classification } as FleetMonitorView['classification']),
    incident: null,
    regions: Object.fromEntries(regions.map((region) => [region, {} as FleetMonitorView['regions'][string]])),
  };
}

const shop = monitor('shop', 'masked_outage', ['eu-west', 'us-east']);
const api = monitor('api', 'operational', ['eu-west']);
const fresh = monitor('fresh', null, ['ap-south']);
const www = monitor('www', 'outage', ['ap-south', 'eu-west']);
const none = { q: '', classification: '', region: '' };

describe('the grid', () => {
  it('filters by name, URL or key, by classification (none: not classified yet) and by region', () => {
    const all = [shop, api, fresh, www];
    expect(all.filter((m) => matchesFilters(m, { ...none, q: 'SHOP' }))).toEqual([shop]);
    expect(all.filter((m) => matchesFilters(m, { ...none, q: 'api.example' }))).toEqual([api]);
    expect(all.filter((m) => matchesFilters(m, { ...none, classification: 'none' }))).toEqual([fresh]);
    expect(all.filter((m) => matchesFilters(m, { ...none, region: 'ap-south' }))).toEqual([fresh, www]);
    expect(all.filter((m) => matchesFilters(m, { q: 'w', classification: 'outage', region: 'eu-west' }))).toEqual([www]);
  });

  it('puts the worst first, the not yet classified last, and counts each classification', () => {
    expect([api, fresh, shop, www].sort(worstFirst).map((m) => m.name)).toEqual(['www', 'shop', 'api', 'fresh']);
    expect(regionsOf([shop, www])).toEqual(['ap-south', 'eu-west', 'us-east']);
    expect([...countByClassification([shop, api, fresh, api])]).toEqual([
      ['masked_outage', 1],
      ['operational', 2],
      ['none', 1],
    ]);
  });
});
