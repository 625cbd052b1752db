import { describe, expect, it } from 'vitest';
import { formatSummary, summarizeStatus } from './status-summary';

const REGIONS = ['eu-west', 'us-east', 'ap-south'] as const;

describe('summarizeStatus', () => {
  it('finds the classification and per-region verdicts keyed by region', () => {
    const document = {
      monitorId: 'm1',
      classification: 'masked_outage',
      regions: {
        'eu-west': { status: 'up', causes: [{ code: 'stale_cache' }] },
        'us-east': { verdict: { status: 'up', causes: [{ code: 'cached_response', severity: 'info' }] } },
        'ap-south': { status: 'down', causes: [{ code: 'connection_refused' }] },
      },
    };
    const summary = summarizeStatus(document, REGIONS);
    expect(summary).toEqual({
      classification: 'masked_outage',
      regions: { 'eu-west': 'up (stale_cache)', 'us-east': 'up', 'ap-south': 'down (connection_refused)' },
    });
    expect(formatSummary(summary, REGIONS)).toBe('masked_outage — eu-west: up (stale_cache), us-east: up, ap-south: down (connection_refused)');
  });

  it('finds a nested classification object and regions in an array', () => {
    const document = {
      latest: {
        classification: { kind: 'regional_outage', regions: ['eu-west'] },
        results: [
          { region: 'eu-west', verdict: 'down' },
          { region: 'us-east', verdict: 'up' },
        ],
      },
    };
    expect(summarizeStatus(document, REGIONS)).toEqual({ classification: 'regional_outage', regions: { 'eu-west': 'down', 'us-east': 'up' } });
  });

  it('gives nothing for a document without either', () => {
    const summary = summarizeStatus({ hello: 'world' }, REGIONS);
    expect(summary).toEqual({ classification: undefined, regions: {} });
    expect(formatSummary(summary, REGIONS)).toBe('no finalized round yet');
    expect(formatSummary({ classification: undefined, regions: { 'ap-south': 'down' } }, REGIONS)).toBe('ap-south: down');
  });
});
