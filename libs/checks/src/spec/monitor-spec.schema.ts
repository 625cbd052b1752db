import { z } from 'zod';
import {
  MAX_ASSERTED_BODY_BYTES,
  MAX_BODY_ASSERTIONS,
  MAX_BODY_BYTES,
  MAX_HEADER_ASSERTIONS,
  MAX_HEADER_BYTES,
  MAX_JSON_ASSERTIONS,
  MAX_ONE_OF_VALUES,
  MAX_PATTERN_LENGTH,
  MAX_REDIRECTS,
  MAX_REQUEST_BODY_BYTES,
  MAX_REQUEST_HEADERS,
  MAX_REQUEST_HEADERS_BYTES,
  MAX_RESOLVE_ENTRIES,
  MAX_STATUS_ENTRIES,
  MAX_TIMEOUT_MS,
  MAX_TLS_CA_BYTES,
  MAX_URL_LENGTH,
} from './spec-limits';
import { readCaCertificates } from './tls-ca';

/**
 * The monitor spec as users write it (JSON in the API, flags in the CLI). Every field has a
 * default that is right for a plain "is my site healthy" monitor: GET, 2xx, 10 s deadline,
 * 5 redirects, 1 MiB body, TLS verified, every detector on, a cache-bypassing second request.
 * Every list and string is bounded (`spec-limits.ts`): a monitor's cost is known when it is written.
 */

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
export const DEFAULT_DEGRADED_LATENCY_MS = 3_000;
export const DEFAULT_CERT_WARNING_DAYS = 14;

/** Headers that describe the connection or the framing, which the probe owns (RFC 9110 §7.6.1). */
const CONNECTION_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'content-length',
]);

/** `200`, `"2xx"`, `"200-299"`: one entry of an expected status list. */
const statusEntry = z.union([
  z.number().int().min(100).max(599),
  z
    .string()
    .regex(/^([1-5])xx$|^\d{3}$|^\d{3}-\d{3}$/, 'must be a status code (200), a class ("2xx") or a range ("200-299")'),
]);

const bodyAssertionsMessage = `contains, notContains, matches and notMatches may hold at most ${MAX_BODY_ASSERTIONS} assertions together`;

/** A string a user writes by hand in an assertion: a regular expression, a JSON path, a text to find. */
const patternText = (what: string) => z.string().max(MAX_PATTERN_LENGTH, `${what} are limited to ${MAX_PATTERN_LENGTH} characters`);

const regexSource = patternText('regular expressions').min(1);

/** A header name as HTTP allows it (an RFC 9110 token). */
export const headerNameSchema = z.string().min(1).max(256).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid header name');

/**
 * A header value as HTTP (and undici, which would refuse it at every probe) allows it: visible
 * Latin-1 characters, spaces and tabs; no CR, LF, NUL or other control characters.
 */
export const headerValueSchema = z
  .string()
  .max(8192)
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'must hold only visible Latin-1 characters, spaces and tabs (no line breaks, NUL or other control characters)');

function bytesOf(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Count and total size of the request headers, as they go on the wire (`name: value` CRLF). */
function checkRequestHeaders(headers: Record<string, string>, ctx: z.RefinementCtx): void {
  const entries = Object.entries(headers);
  if (entries.length > MAX_REQUEST_HEADERS) {
    ctx.addIssue({ code: 'custom', message: `${entries.length} headers, more than the ${MAX_REQUEST_HEADERS} allowed` });
  }
  const bytes = entries.reduce((total, [name, value]) => total + bytesOf(name) + bytesOf(value) + 4, 0);
  if (bytes > MAX_REQUEST_HEADERS_BYTES) {
    ctx.addIssue({ code: 'custom', message: `headers take ${bytes} bytes, more than the ${MAX_REQUEST_HEADERS_BYTES} allowed` });
  }
}

export const JSON_OPERATORS = [
  'equals',
  'notEquals',
  'exists',
  'absent',
  'matches',
  'contains',
  'oneOf',
  'lt',
  'lte',
  'gt',
  'gte',
] as const;
export type JsonOperator = (typeof JSON_OPERATORS)[number];

const jsonValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const jsonAssertion = z
  .object({
    path: patternText('JSON paths').min(1).regex(/^\$/, 'must start with "$", e.g. "$.status" or "$.checks[0].state"'),
    op: z.enum(JSON_OPERATORS).default('equals'),
    value: z.union([jsonValue, z.array(jsonValue)]).optional(),
  })
  .strict()
  .superRefine((assertion, ctx) => {
    // Checked here rather than in the union above, whose errors would only say "Invalid input".
    const values = Array.isArray(assertion.value) ? assertion.value : [assertion.value];
    if (values.length > MAX_ONE_OF_VALUES) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `may list at most ${MAX_ONE_OF_VALUES} values` });
    }
    if (values.some((value) => typeof value === 'string' && value.length > MAX_PATTERN_LENGTH)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `values are limited to ${MAX_PATTERN_LENGTH} characters` });
    }
    const needsValue = !['exists', 'absent'].includes(assertion.op);
    if (needsValue && assertion.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `operator "${assertion.op}" needs a value` });
    }
    if (assertion.op === 'oneOf' && !Array.isArray(assertion.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'operator "oneOf" needs an array of values' });
    }
    if (['lt', 'lte', 'gt', 'gte'].includes(assertion.op) && typeof assertion.value !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `operator "${assertion.op}" needs a number` });
    }
    if (assertion.op === 'matches' && typeof assertion.value !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'operator "matches" needs a regular expression string' });
    }
  });

export const HEADER_OPERATORS = ['exists', 'absent', 'equals', 'contains', 'matches'] as const;
export type HeaderOperator = (typeof HEADER_OPERATORS)[number];

const headerAssertion = z
  .object({
    name: headerNameSchema,
    op: z.enum(HEADER_OPERATORS).default('exists'),
    value: patternText('header values').optional(),
  })
  .strict()
  .superRefine((assertion, ctx) => {
    if (!['exists', 'absent'].includes(assertion.op) && assertion.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `operator "${assertion.op}" needs a value` });
    }
  });

const detectors = z
  .object({
    /** Health documents (`{"status": "ok", "checks": …}`, Actuator, IETF health+json, .NET). */
    healthDocument: z.boolean().default(true),
    /** 200 with an error body, and `"success": false` envelopes. */
    softError: z.boolean().default(true),
    /** Default error pages of proxies and load balancers, whatever their status. */
    errorPage: z.boolean().default(true),
    /** Cache evidence judged together with the bypass request. */
    cache: z.boolean().default(true),
    /** 401/403 and redirects to login or SSO pages. */
    authWall: z.boolean().default(true),
    /** Certificates expiring soon. */
    certificate: z.boolean().default(true),
    /** Operator-written error and maintenance text served with 2xx ("temporarily unavailable", "no healthy upstream"). */
    operatorPage: z.boolean().default(true),
  })
  .strict()
  .prefault({});

/**
 * The healthy baseline learned per region (`content_changed`, frozen content). Nothing is judged
 * before `learnRounds` healthy rounds; another shape of answer seen on `relearnAfterRounds`
 * healthy rounds in a row is adopted; content that advanced every round and repeats for as many
 * rounds as its learned rate makes rarer than one in a million, never fewer than
 * `frozenAfterRounds`, is frozen.
 */
const baseline = z
  .object({
    enabled: z.boolean().default(true),
    learnRounds: z.number().int().min(1).max(100).default(3),
    relearnAfterRounds: z.number().int().min(1).max(1000).default(10),
    frozenAfterRounds: z.number().int().min(2).max(100).default(3),
  })
  .strict()
  .prefault({});

const resolveEntry = z
  .string()
  .regex(
    /^[^:\s]+:\d{1,5}:(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]+)$/,
    'must be "host:port:address", e.g. "example.com:443:127.0.0.2"',
  );

export const monitorSpecSchema = z
  .object({
    url: z
      .string()
      .min(1, 'is required')
      .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
      .refine(isHttpUrl, 'must be an absolute http:// or https:// URL'),
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(HTTP_METHODS))
      .default('GET'),
    headers: z
      .record(
        headerNameSchema.refine((name) => !CONNECTION_HEADERS.has(name.toLowerCase()), {
          message: 'is managed by the probe (connection-level headers cannot be set)',
        }),
        headerValueSchema,
      )
      .superRefine(checkRequestHeaders)
      .default({}),
    /**
     * Headers whose values are secrets besides those named like credentials (`Authorization`,
     * `Cookie`, `X-Api-Key`, `*-token`, `*-key`, `*-secret`, `*-auth*`): redacted wherever they
     * would show and encrypted at rest, like those.
     */
    secretHeaders: z.array(headerNameSchema).max(MAX_REQUEST_HEADERS).optional(),
    /**
     * Let the monitor's headers follow a redirect to another origin (default: they are dropped;
     * `Authorization`, `Proxy-Authorization` and `Cookie` never follow one).
     */
    forwardHeadersCrossOrigin: z.boolean().optional(),
    body: z.string().max(1024 * 1024).optional(),
    timeoutMs: z.number().int().min(100).max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} (ms)`).default(DEFAULT_TIMEOUT_MS),
    followRedirects: z.boolean().default(true),
    maxRedirects: z.number().int().min(0).max(MAX_REDIRECTS).default(DEFAULT_MAX_REDIRECTS),
    maxBodyBytes: z.number().int().min(1024).max(MAX_BODY_BYTES, `must be at most ${MAX_BODY_BYTES} (4 MiB)`).default(DEFAULT_MAX_BODY_BYTES),
    maxHeaderBytes: z.number().int().min(1024).max(MAX_HEADER_BYTES, `must be at most ${MAX_HEADER_BYTES} (256 KiB)`).default(DEFAULT_MAX_HEADER_BYTES),
    tls: z
      .object({
        /** Verify the certificate chain and host name (default). */
        verify: z.boolean().default(true),
        /** Extra trusted CA certificates (PEM), for private PKI. */
        ca: z
          .string()
          .max(MAX_TLS_CA_BYTES, `must be at most ${MAX_TLS_CA_BYTES} characters of PEM`)
          .superRefine((ca, ctx) => {
            try {
              readCaCertificates(ca);
            } catch (error) {
              ctx.addIssue({ code: 'custom', message: (error as Error).message });
            }
          })
          .optional(),
        /** Days before expiry at which `cert_expiring` makes the verdict degraded. */
        expiryWarningDays: z.number().int().min(0).max(365).default(DEFAULT_CERT_WARNING_DAYS),
      })
      .strict()
      .prefault({}),
    /** Make a second, cache-bypassing request. Defaults to on for GET and HEAD. */
    cacheBypass: z.boolean().optional(),
    /** Send If-None-Match / If-Modified-Since from the previous observation; 304 then counts as healthy. */
    conditional: z.boolean().default(false),
    /**
     * When the host name resolves to several addresses (A and AAAA), also request each of the
     * first `max` of them directly (first hop only): one dead member of a round-robin set, or
     * IPv6 broken while IPv4 works, is a partial outage users meet at random (`address_down`).
     */
    addresses: z
      .object({
        checkEach: z.boolean().default(true),
        max: z.number().int().min(1).max(8).default(8),
      })
      .strict()
      .prefault({}),
    /** Offer HTTP/2 over TLS (ALPN `h2, http/1.1`); the server's choice is recorded. */
    http2: z.boolean().default(true),
    /** curl-style `host:port:address` overrides; Host header and TLS SNI keep the host name. */
    resolve: z.array(resolveEntry).max(MAX_RESOLVE_ENTRIES, `may list at most ${MAX_RESOLVE_ENTRIES} overrides`).default([]),
    expect: z
      .object({
        /** Expected statuses; default: 2xx semantics for the method. */
        status: z.array(statusEntry).min(1).max(MAX_STATUS_ENTRIES, `may list at most ${MAX_STATUS_ENTRIES} entries`).optional(),
        body: z
          .object({
            contains: z.array(patternText('texts to find').min(1)).max(MAX_BODY_ASSERTIONS, bodyAssertionsMessage).default([]),
            notContains: z.array(patternText('texts to find').min(1)).max(MAX_BODY_ASSERTIONS, bodyAssertionsMessage).default([]),
            matches: z.array(regexSource).max(MAX_BODY_ASSERTIONS, bodyAssertionsMessage).default([]),
            notMatches: z.array(regexSource).max(MAX_BODY_ASSERTIONS, bodyAssertionsMessage).default([]),
          })
          .strict()
          .superRefine((body, ctx) => {
            const count = body.contains.length + body.notContains.length + body.matches.length + body.notMatches.length;
            if (count > MAX_BODY_ASSERTIONS) ctx.addIssue({ code: 'custom', message: `${count} body assertions; ${bodyAssertionsMessage}` });
          })
          .prefault({}),
        json: z.array(jsonAssertion).max(MAX_JSON_ASSERTIONS, `may hold at most ${MAX_JSON_ASSERTIONS} assertions`).default([]),
        headers: z.array(headerAssertion).max(MAX_HEADER_ASSERTIONS, `may hold at most ${MAX_HEADER_ASSERTIONS} assertions`).default([]),
        latency: z
          .object({
            /** Slower than this makes the verdict degraded. */
            degradedMs: z.number().int().min(1).default(DEFAULT_DEGRADED_LATENCY_MS),
            /** Slower than this makes the verdict down (the timeout always does). */
            downMs: z.number().int().min(1).optional(),
          })
          .strict()
          .prefault({}),
        /** Content older than this (by `Age` or `Date` skew) makes the verdict degraded. */
        maxContentAgeSeconds: z.number().int().min(0).optional(),
      })
      .strict()
      .prefault({}),
    detectors,
    baseline,
  })
  .strict()
  .superRefine((spec, ctx) => {
    const { degradedMs, downMs } = spec.expect.latency;
    if (downMs !== undefined && downMs < degradedMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['expect', 'latency', 'downMs'],
        message: `must be at least expect.latency.degradedMs (${degradedMs})`,
      });
    }
    if (spec.body !== undefined && (spec.method === 'GET' || spec.method === 'HEAD')) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: `a ${spec.method} request cannot carry a body` });
    }
    if (spec.body !== undefined && bytesOf(spec.body) > MAX_REQUEST_BODY_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: `must be at most ${MAX_REQUEST_BODY_BYTES} bytes` });
    }
    checkAssertedBody(spec, ctx);
  });

/** The spec as a user writes it: every field with a default may be left out. */
export type MonitorSpecInput = z.input<typeof monitorSpecSchema>;
/** The spec with every default applied. */
export type MonitorSpec = z.output<typeof monitorSpecSchema>;

/**
 * Body and JSON assertions judge the whole body read; above {@link MAX_ASSERTED_BODY_BYTES} that
 * costs more CPU per round than a monitor may take (`npm run bench:evaluate`), so a monitor that
 * reads more does so for the detectors alone.
 */
function checkAssertedBody(spec: { maxBodyBytes: number; expect: { body: Record<string, string[]>; json: unknown[] } }, ctx: z.RefinementCtx): void {
  if (spec.maxBodyBytes <= MAX_ASSERTED_BODY_BYTES) return;
  const asserted = Object.values(spec.expect.body).some((list) => list.length > 0) || spec.expect.json.length > 0;
  if (!asserted) return;
  ctx.addIssue({
    code: 'custom',
    path: ['maxBodyBytes'],
    message: `must be at most ${MAX_ASSERTED_BODY_BYTES} (1 MiB) when the monitor has body or JSON assertions (expect.body, expect.json)`,
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
