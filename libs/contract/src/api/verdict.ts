import { CAUSE_CODES } from '@crosscheck/checks';
import { z } from 'zod';

/** A verdict's status: `up`, `degraded` or `down`. */
export const verdictStatusSchema = z.enum(['up', 'degraded', 'down']);

/** A region's status in a round: a verdict, or `missing` when it did not answer (never `down`). */
export const regionStatusSchema = z.enum(['up', 'degraded', 'down', 'missing']);

/** How much a cause weighs in a verdict. */
export const causeSeveritySchema = z.enum(['down', 'degraded', 'info']);

/** One reason of a verdict: a code, its weight, a line for people, and the values seen. */
export const causeSchema = z.object({
  code: z.enum(CAUSE_CODES),
  severity: causeSeveritySchema,
  message: z.string().describe('One line a person can read: what was wrong, with the values. Empty in a compact result.'),
  evidence: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]).optional())
    .describe('The values behind the cause (headers seen, ages, vendors). Empty in a compact result.'),
});

/** The facts a person or a reconciler needs first, without digging through the observation. */
export const keyEvidenceSchema = z.object({
  httpStatus: z.number().int().nullable(),
  finalUrl: z.string(),
  totalMs: z.number(),
  redirects: z.number().int(),
  cache: z.object({
    hit: z.boolean(),
    ageSeconds: z.number().optional(),
    signals: z.array(z.string()).describe('Header lines that showed the cache, e.g. `x-cache: HIT`.'),
    freshness: z
      .object({
        lifetimeSeconds: z.number().nullable().describe('RFC 9111 freshness lifetime (s-maxage, max-age, Expires - Date, or the Last-Modified heuristic); `null` when none applies.'),
        ageSeconds: z.number().describe('RFC 9111 current age: `Age`, and `Date` against the probe clock.'),
        state: z.enum(['fresh', 'stale_while_revalidate', 'stale_if_error', 'stale', 'unknown']),
      })
      .optional()
      .describe('How fresh the answer is by RFC 9111, when it carries caching information.'),
  }),
  bypassStatus: z.number().int().nullable().optional().describe('Status of the cache-bypassing request; `null` when it got no response.'),
  errorPageVendor: z.string().optional().describe("Vendor of a proxy's or load balancer's own error page, when recognised."),
  probeError: z.string().optional().describe('Error code of a failed probe.'),
  content: z
    .object({ etag: z.string().optional(), lastModified: z.string().optional(), version: z.string().optional(), bodyHash: z.string().optional() })
    .optional()
    .describe("The response's validators (ETag, Last-Modified, a version the body names, a body hash), compared across regions (`version_skew`) and rounds (frozen content)."),
  protocol: z.string().optional().describe('HTTP version of the answer: `1.1` or `2`.'),
  addresses: z
    .array(
      z.object({
        address: z.string(),
        family: z.union([z.literal(4), z.literal(6)]),
        ok: z.boolean(),
        httpStatus: z.number().int().nullable(),
        error: z.string().nullable(),
        totalMs: z.number(),
      }),
    )
    .optional()
    .describe('Each address the name resolved to, probed on its own, when it resolved to more than one (`address_down` names the dead ones).'),
});

/** One expectation of a verdict, showing the value seen. */
export const expectationResultSchema = z.object({
  kind: z.string().meta({ examples: ['json'] }),
  passed: z.boolean().nullable().describe('`null`: not evaluated. Always `false` in stored results: only failed expectations are kept.'),
  description: z.string().meta({ examples: ['[json] $.status equals "ok": FAILED, saw "degraded"'] }),
  expected: z.string(),
  actual: z.string().nullable(),
});
