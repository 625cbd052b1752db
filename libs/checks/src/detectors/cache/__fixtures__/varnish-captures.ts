import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One response real Varnish sent, with the probe clock of its request (`scripts/capture-varnish-freshness.mjs`). */
export interface VarnishCapture {
  /** `stock` (builtin VCL) or `grace-1h` (`beresp.grace = 1h`). */
  edge: string;
  label: string;
  /** Date.now() when the request started: the observation's `startedAt`. */
  now: number;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Varnish 7.1 in front of an origin sending `max-age=2, stale-while-revalidate=1, stale-if-error=600`, which then stops. */
export const VARNISH_CAPTURES: VarnishCapture[] = (JSON.parse(readFileSync(join(__dirname, 'varnish-freshness.json'), 'utf8')) as { captures: VarnishCapture[] }).captures;
