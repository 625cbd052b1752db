import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate/evaluate';
import type { Observation } from '../observation/observation';
import type { MonitorSpecInput } from '../spec/monitor-spec.schema';
import { bypassOf, observationOf, specOf } from '../testing/observation-fixtures';
import type { Classification } from './classification';
import { reconcile } from './reconcile';
import type { RegionVerdict } from './round-verdicts';

/**
 * The contract between `evaluate` and `reconcile`: real observations, judged by the real evaluator,
 * reconcile to the classification the design promises. If a detector changes the shape of its
 * causes, this is where it shows.
 */

const PAGE = { headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Acme</title><h1>Welcome to Acme</h1>' };
const CACHED_PAGE = { ...PAGE, headers: { ...PAGE.headers, 'x-cache': 'HIT', age: '5400' } };
const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
const NGINX = { status: 502, headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' }, body: NGINX_502 };
const REFUSED = { response: undefined, error: { code: 'connection_refused' as const, phase: 'connect' as const, url: 'https://status.example.com/health', message: 'connect ECONNREFUSED 127.0.0.2:443' } };

function judged(observation: Observation, spec: Partial<MonitorSpecInput> = {}): RegionVerdict {
  const { status, causes, evidence } = evaluate(specOf(spec), observation);
  return { status, causes, evidence };
}

describe('reconcile over real verdicts', () => {
  it.each<{ name: string; regions: Record<string, RegionVerdict>; classification: Classification; affected: string[] }>([
    {
      name: 'origin down behind the edge in two regions and directly in one',
      regions: {
        'ap-south': judged(observationOf({ ...CACHED_PAGE, bypass: bypassOf({ outcome: REFUSED }) })),
        'eu-west': judged(observationOf({ ...CACHED_PAGE, bypass: bypassOf(NGINX) })),
        'us-east': judged(observationOf({ outcome: REFUSED })),
      },
      classification: 'masked_outage',
      affected: ['ap-south', 'eu-west', 'us-east'],
    },
    {
      name: 'a cache hit with a healthy bypass everywhere',
      regions: {
        'ap-south': judged(observationOf({ ...CACHED_PAGE, bypass: bypassOf(PAGE) })),
        'eu-west': judged(observationOf({ ...CACHED_PAGE, bypass: bypassOf(PAGE) })),
        'us-east': judged(observationOf({ ...PAGE, bypass: bypassOf(PAGE) })),
      },
      classification: 'operational',
      affected: [],
    },
    {
      name: "nginx's 502 page everywhere",
      regions: {
        'ap-south': judged(observationOf({ ...NGINX, bypass: bypassOf(NGINX) })),
        'eu-west': judged(observationOf({ ...NGINX, bypass: bypassOf(NGINX) })),
        'us-east': judged(observationOf({ ...NGINX, bypass: bypassOf(NGINX) })),
      },
      classification: 'outage',
      affected: ['ap-south', 'eu-west', 'us-east'],
    },
    {
      name: 'cache hits without a bypass request while one region is refused',
      regions: {
        'ap-south': judged(observationOf(CACHED_PAGE), { cacheBypass: false }),
        'eu-west': judged(observationOf(CACHED_PAGE), { cacheBypass: false }),
        'us-east': judged(observationOf({ outcome: REFUSED }), { cacheBypass: false }),
      },
      classification: 'masked_outage',
      affected: ['ap-south', 'eu-west', 'us-east'],
    },
    {
      name: 'a bypass rejected with 404 vouches for nothing while one region gets the proxy page',
      regions: {
        'ap-south': judged(observationOf({ ...CACHED_PAGE, bypass: bypassOf({ status: 404, body: 'unknown parameter' }) })),
        'eu-west': judged(observationOf({ ...PAGE, bypass: bypassOf(PAGE) })),
        'us-east': judged(observationOf({ ...NGINX, bypass: bypassOf(NGINX) })),
      },
      classification: 'masked_outage',
      affected: ['ap-south', 'us-east'],
    },
    {
      name: 'one region slow',
      regions: {
        'ap-south': judged(observationOf({ ...PAGE, totalMs: 4_500, bypass: bypassOf(PAGE) })),
        'eu-west': judged(observationOf({ ...PAGE, bypass: bypassOf(PAGE) })),
      },
      classification: 'degraded',
      affected: ['ap-south'],
    },
    {
      name: "one region's path refused, the others fresh",
      regions: {
        'ap-south': judged(observationOf({ ...PAGE, bypass: bypassOf(PAGE) })),
        'eu-west': judged(observationOf({ outcome: REFUSED })),
        'us-east': judged(observationOf({ ...CACHED_PAGE, bypass: bypassOf(PAGE) })),
      },
      classification: 'regional_outage',
      affected: ['eu-west'],
    },
  ])('$name → $classification', ({ regions, classification, affected }) => {
    const result = reconcile({ regions });
    expect(result.classification).toBe(classification);
    expect(result.affectedRegions).toEqual(affected);
  });

  it('carries the vendor and the bypass facts of a masked outage into the evidence', () => {
    const result = reconcile({ regions: { 'eu-west': judged(observationOf({ ...CACHED_PAGE, bypass: bypassOf(NGINX) })) } });
    expect(result.classification).toBe('masked_outage');
    expect(result.evidence['eu-west']).toMatchObject({ reading: 'down_behind_cache', httpStatus: 200, bypassStatus: 502, errorPageVendor: null, cacheHit: true, ageSeconds: 5400 });
    expect(result.reason).toContain('502 nginx');
  });
});
