import { redactDeep, REDACTED } from './redact';

/** Well-known credential headers, for the fixed paths of the logger's own redaction. */
const PATH_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'];

/**
 * How the apps' pino loggers keep secrets out of log lines, without this library importing pino
 * (the apps wire these into their `pino()` options):
 *
 * - `paths`/`censor`: pino's own `redact` option, for the credential headers of request-like
 *   objects at the top level or one level down (`req.headers.authorization`), which pino redacts
 *   whatever object holds them;
 * - `record`: pino's `formatters.log`: every string of the record loses its URL userinfo and every
 *   `headers` object its credential values, at any depth ({@link redactDeep});
 * - `message`: pino's `serializers.msg`: the message line loses its URL userinfo;
 * - `error`: applied to what pino's error serializer made of `err`: message, stack and every other
 *   field redacted the same way (errors often quote the URL they failed on).
 */
export const LOG_REDACTION = {
  paths: PATH_HEADERS.flatMap((name) => [`headers["${name}"]`, `*.headers["${name}"]`]),
  censor: REDACTED,
  record(record: Record<string, unknown>): Record<string, unknown> {
    return redactDeep(record);
  },
  message(message: unknown): unknown {
    return redactDeep(message);
  },
  error(serialized: unknown): unknown {
    if (typeof serialized !== 'object' || serialized === null) return redactDeep(serialized);
    // pino's serialized error has a prototype of its own, which redactDeep leaves alone: copy its fields.
    return redactDeep({ ...serialized });
  },
} as const;
