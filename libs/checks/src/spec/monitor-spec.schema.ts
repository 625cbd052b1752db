import { z } from 'zod';

/**
 * The monitor spec as users write it (JSON in the API, flags in the CLI). Every field has a
 * default that is right for a plain "is my site healthy" monitor: GET, 2xx, 10 s deadline,
 * 5 redirects, 1 MiB body, TLS verified, every detector on, a cache-bypassing second request.
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

const regexSource = z
  .string()
  .min(1)
  .max(1000, 'regular expressions are limited to 1000 characters');

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
    path: z.string().min(1).regex(/^\$/, 'must start with "$", e.g. "$.status" or "$.checks[0].state"'),
    op: z.enum(JSON_OPERATORS).default('equals'),
    value: z.union([jsonValue, z.array(jsonValue)]).optional(),
  })
  .strict()
  .superRefine((assertion, ctx) => {
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
    name: z.string().min(1).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid header name'),
    op: z.enum(HEADER_OPERATORS).default('exists'),
    value: z.string().optional(),
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
      .max(4096)
      .refine(isHttpUrl, 'must be an absolute http:// or https:// URL'),
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(HTTP_METHODS))
      .default('GET'),
    headers: z
      .record(
        z
          .string()
          .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid header name')
          .refine((name) => !CONNECTION_HEADERS.has(name.toLowerCase()), {
            message: 'is managed by the probe (connection-level headers cannot be set)',
          }),
        z.string().max(8192).regex(/^[^\r\n\0]*$/, 'must not contain line breaks or NUL'),
      )
      .default({}),
    /**
     * Headers whose values are secrets besides those named like credentials (`Authorization`,
     * `Cookie`, `X-Api-Key`, `*-token`, `*-key`, `*-secret`, `*-auth*`): redacted wherever they
     * would show and encrypted at rest, like those.
     */
    secretHeaders: z.array(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid header name')).max(64).optional(),
    /**
     * Let the monitor's headers follow a redirect to another origin (default: they are dropped;
     * `Authorization`, `Proxy-Authorization` and `Cookie` never follow one).
     */
    forwardHeadersCrossOrigin: z.boolean().optional(),
    body: z.string().max(1024 * 1024).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).default(DEFAULT_TIMEOUT_MS),
    followRedirects: z.boolean().default(true),
    maxRedirects: z.number().int().min(0).max(20).default(DEFAULT_MAX_REDIRECTS),
    maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(DEFAULT_MAX_BODY_BYTES),
    maxHeaderBytes: z.number().int().min(1024).max(256 * 1024).default(DEFAULT_MAX_HEADER_BYTES),
    tls: z
      .object({
        /** Verify the certificate chain and host name (default). */
        verify: z.boolean().default(true),
        /** Extra trusted CA certificates (PEM), for private PKI. */
        ca: z.string().max(256 * 1024).optional(),
        /** Days before expiry at which `cert_expiring` makes the verdict degraded. */
        expiryWarningDays: z.number().int().min(0).max(365).default(DEFAULT_CERT_WARNING_DAYS),
      })
      .strict()
      .prefault({}),
    /** Make a second, cache-bypassing request. Defaults to on for GET and HEAD. */
    cacheBypass: z.boolean().optional(),
    /** Send If-None-Match / If-Modified-Since from the previous observation; 304 then counts as healthy. */
    conditional: z.boolean().default(false),
    /** curl-style `host:port:address` overrides; Host header and TLS SNI keep the host name. */
    resolve: z.array(resolveEntry).max(32).default([]),
    expect: z
      .object({
        /** Expected statuses; default: 2xx semantics for the method. */
        status: z.array(statusEntry).min(1).optional(),
        body: z
          .object({
            contains: z.array(z.string().min(1)).default([]),
            notContains: z.array(z.string().min(1)).default([]),
            matches: z.array(regexSource).default([]),
            notMatches: z.array(regexSource).default([]),
          })
          .strict()
          .prefault({}),
        json: z.array(jsonAssertion).default([]),
        headers: z.array(headerAssertion).default([]),
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
  });

/** The spec as a user writes it: every field with a default may be left out. */
export type MonitorSpecInput = z.input<typeof monitorSpecSchema>;
/** The spec with every default applied. */
export type MonitorSpec = z.output<typeof monitorSpecSchema>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
