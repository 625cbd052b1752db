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
  }),
  bypassStatus: z.number().int().nullable().optional().describe('Status of the cache-bypassing request; `null` when it got no response.'),
  errorPageVendor: z.string().optional().describe("Vendor of a proxy's or load balancer's own error page, when recognised."),
  probeError: z.string().optional().describe('Error code of a failed probe.'),
  protocol: z.string().optional().describe("HTTP version of the response: '1.1' or '2'."),
  addresses: z
    .array(
      z.object({
        address: z.string(),
        family: z.union([z.literal(4), z.literal(6)]),
        ok: z.boolean().describe('Answered and was not judged down.'),
        httpStatus: z.number().int().nullable(),
        error: z.string().nullable().describe('Probe error code when the address gave no response.'),
        totalMs: z.number(),
      }),
    )
    .optional()
    .describe('Each address of a name that resolved to several, requested on its own (at most 8).'),
});

/** One expectation of a verdict, showing the value seen. */
export const expectationResultSchema = z.object({
  kind: z.string().meta({ examples: ['json'] }),
  passed: z.boolean().nullable().describe('`null`: not evaluated. Always `false` in stored results: only failed expectations are kept.'),
  description: z.string().meta({ examples: ['[json] $.status equals "ok": FAILED, saw "degraded"'] }),
  expected: z.string(),
  actual: z.string().nullable(),
});
