import { parseArgs } from 'node:util';
import type { JsonOperator, MonitorSpecInput } from '@crosscheck/checks';

/** Bad usage: the CLI prints the message and the usage line, and exits 64 (EX_USAGE). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CliRequest {
  /** The spec to compile, as a user would write it in the API. */
  spec: MonitorSpecInput;
  json: boolean;
  help: boolean;
  /** `--baseline <file>`: an earlier `--json` output (or a baseline) to compare this response with. */
  baselineFile?: string;
}

export const USAGE = `usage: crosscheck check <url> [options]   (also: npm run -s check -- <url> [options])

Checks one URL once, from here, the way Crosscheck's agents do, and prints the verdict.
Exit code: 0 up, 1 degraded, 2 down, 64 bad usage.

request:
  -X, --method <method>        GET (default), HEAD, POST, PUT, PATCH, DELETE, OPTIONS
  -H, --header <name: value>   request header (repeatable)
  -d, --data <body>            request body (not with GET/HEAD)
      --timeout <duration>     overall deadline, DNS to last byte: 10s (default), 2500ms
      --resolve <host:port:address>
                               connect to address for host:port, keeping Host and SNI (repeatable)
      --max-redirects <n>      redirects to follow (default 5); --no-follow follows none
      --no-follow              do not follow redirects
      --no-bypass              skip the second, cache-bypassing request
      --insecure               do not verify the TLS certificate (still recorded)
      --max-body <bytes>       body cap after decompression (default 1048576)
expectations (default: 2xx for the method, every detector on):
      --status <list>          expected statuses: 200,204 or 2xx or 200-299 (repeatable)
      --contains <text>        body must contain text (repeatable)
      --not-contains <text>    body must not contain text (repeatable)
      --matches <regex>        body must match an RE2 regular expression (repeatable)
      --not-matches <regex>    body must not match (repeatable)
      --json-path <assertion>  '$.status == "ok"', '$.items[0].count >= 1', '$.error absent'
                               operators: == != < <= > >= ~= (regex) exists absent (repeatable)
      --degraded-ms <ms>       slower than this is degraded (default 3000)
      --down-ms <ms>           slower than this is down
      --max-age <seconds>      content older than this (Age, Date skew) is degraded
      --no-detector <name>     turn a detector off: healthDocument, softError, errorPage,
                               cache, authWall, certificate, operatorPage (repeatable)
      --baseline <file>        compare with what an earlier check saw: the file is that check's
                               --json output (or its "baseline"); a 200 that departs from it is
                               content_changed (a health document gone, the media type changed, ...)
output:
      --json                   one JSON object: status, causes, expectations, evidence, observation,
                               fingerprint, and the baseline learned from this response
  -h, --help                   this text
`;

const OPTIONS = {
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd' },
  timeout: { type: 'string' },
  resolve: { type: 'string', multiple: true },
  'max-redirects': { type: 'string' },
  'no-follow': { type: 'boolean' },
  'no-bypass': { type: 'boolean' },
  insecure: { type: 'boolean' },
  'max-body': { type: 'string' },
  status: { type: 'string', multiple: true },
  contains: { type: 'string', multiple: true },
  'not-contains': { type: 'string', multiple: true },
  matches: { type: 'string', multiple: true },
  'not-matches': { type: 'string', multiple: true },
  'json-path': { type: 'string', multiple: true },
  'degraded-ms': { type: 'string' },
  'down-ms': { type: 'string' },
  'max-age': { type: 'string' },
  'no-detector': { type: 'string', multiple: true },
  baseline: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DETECTOR_NAMES = ['healthDocument', 'softError', 'errorPage', 'cache', 'authWall', 'certificate', 'operatorPage'] as const;

/** Turns command-line arguments into a monitor spec. Throws {@link UsageError} naming the bad argument. */
export function parseCliArguments(argv: readonly string[]): CliRequest {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '').replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) return { spec: { url: '' }, json: false, help: true };
  if (positionals.length === 0) throw new UsageError('a URL to check is required');
  if (positionals.length > 1) throw new UsageError(`one URL at a time; also got ${positionals.slice(1).join(' ')}`);
  const url = positionals[0] ?? '';

  const spec: MonitorSpecInput = { url };
  const expect: NonNullable<MonitorSpecInput['expect']> = {};
  if (values.method !== undefined) spec.method = values.method;
  if (values.header) spec.headers = Object.fromEntries(values.header.map(parseHeader));
  if (values.data !== undefined) spec.body = values.data;
  if (values.timeout !== undefined) spec.timeoutMs = parseDuration(values.timeout, '--timeout');
  if (values.resolve) spec.resolve = values.resolve;
  if (values['max-redirects'] !== undefined) spec.maxRedirects = parseInteger(values['max-redirects'], '--max-redirects');
  if (values['no-follow']) spec.followRedirects = false;
  if (values['no-bypass']) spec.cacheBypass = false;
  if (values.insecure) spec.tls = { verify: false };
  if (values['max-body'] !== undefined) spec.maxBodyBytes = parseInteger(values['max-body'], '--max-body');
  if (values.status) {
    expect.status = values.status
      .flatMap((list) => list.split(','))
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
      .map((entry) => (/^\d+$/.test(entry) ? Number(entry) : entry));
  }
  const body: NonNullable<NonNullable<MonitorSpecInput['expect']>['body']> = {};
  if (values.contains) body.contains = values.contains;
  if (values['not-contains']) body.notContains = values['not-contains'];
  if (values.matches) body.matches = values.matches;
  if (values['not-matches']) body.notMatches = values['not-matches'];
  if (Object.keys(body).length > 0) expect.body = body;
  if (values['json-path']) expect.json = values['json-path'].map(parseJsonAssertion);
  const latency: { degradedMs?: number; downMs?: number } = {};
  if (values['degraded-ms'] !== undefined) latency.degradedMs = parseInteger(values['degraded-ms'], '--degraded-ms');
  if (values['down-ms'] !== undefined) latency.downMs = parseInteger(values['down-ms'], '--down-ms');
  if (Object.keys(latency).length > 0) expect.latency = latency;
  if (values['max-age'] !== undefined) expect.maxContentAgeSeconds = parseInteger(values['max-age'], '--max-age');
  if (Object.keys(expect).length > 0) spec.expect = expect;
  if (values['no-detector']) {
    const detectors: Partial<Record<(typeof DETECTOR_NAMES)[number], boolean>> = {};
    for (const name of values['no-detector']) {
      const known = DETECTOR_NAMES.find((d) => d.toLowerCase() === name.toLowerCase());
      if (!known) throw new UsageError(`--no-detector: unknown detector "${name}"; one of ${DETECTOR_NAMES.join(', ')}`);
      detectors[known] = false;
    }
    spec.detectors = detectors;
  }
  if (values.baseline !== undefined && values.baseline.trim() === '') throw new UsageError('--baseline needs a file: an earlier --json output');
  return { spec, json: values.json ?? false, help: false, ...(values.baseline !== undefined ? { baselineFile: values.baseline } : {}) };
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`--header "${text}" must be "Name: value"`);
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

function parseInteger(text: string, option: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${option} "${text}" must be a whole number`);
  return Number(text);
}

/** `10s`, `2500ms`, `2500` (milliseconds), `1.5s`. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${option} "${text}" must be a duration such as 10s or 2500ms`);
  const amount = Number(match[1]);
  return Math.round(match[2] === 's' ? amount * 1000 : amount);
}

const JSON_COMPARISON = /^(\$\S*?)\s*(==|!=|<=|>=|<|>|~=)\s*(.*)$/s;
const JSON_PRESENCE = /^(\$\S*)\s+(exists|absent)$/;
const OPERATOR_NAMES: Record<string, JsonOperator> = { '==': 'equals', '!=': 'notEquals', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte', '~=': 'matches' };

type JsonAssertionInput = NonNullable<NonNullable<MonitorSpecInput['expect']>['json']>[number];
type JsonValueInput = JsonAssertionInput['value'];

/** `$.status == "ok"` -> `{path: '$.status', op: 'equals', value: 'ok'}`; unquoted values are read as JSON when they parse. */
export function parseJsonAssertion(text: string): JsonAssertionInput {
  const presence = JSON_PRESENCE.exec(text.trim());
  if (presence) return { path: presence[1] ?? '', op: presence[2] === 'absent' ? 'absent' : 'exists' };
  const comparison = JSON_COMPARISON.exec(text.trim());
  if (!comparison) {
    throw new UsageError(`--json-path "${text}" must be "<path> <op> <value>" or "<path> exists|absent", e.g. '$.status == "ok"'`);
  }
  const [, path = '', operator = '==', raw = ''] = comparison;
  const op = OPERATOR_NAMES[operator] ?? 'equals';
  return { path, op, value: op === 'matches' ? unquote(raw) : readValue(raw) };
}

/** Reads `"ok"`, `3`, `true`, `null` or `["a","b"]` as JSON; anything else as a bare string. The spec schema validates the result. */
function readValue(raw: string): JsonValueInput {
  const text = raw.trim();
  try {
    return JSON.parse(text) as JsonValueInput;
  } catch {
    return text;
  }
}

function unquote(raw: string): string {
  const text = raw.trim();
  return /^".*"$|^'.*'$/s.test(text) ? text.slice(1, -1) : text;
}
