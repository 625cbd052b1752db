/**
 * fast-check arbitraries for fuzzing the REST API: values that follow a route's JSON Schema
 * closely enough to get past the first checks ("valid-ish"), the same with fields mutated into
 * hostile values (wrong types, huge strings, deep nesting, odd unicode, odd numbers, prototype
 * keys), hostile path parameters and query strings, and the serialization of all that into the
 * bytes of a request body, including JSON that `JSON.stringify` cannot write (`1e999`, `-0`).
 *
 * Every URL these generate points at loopback: webhook deliveries and probes made from fuzzed
 * input never leave the machine.
 */
import fc from 'fast-check';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { JsonSchema, OpenApiDocument } from './openapi-routes';
import { resolveSchema } from './openapi-routes';

/** Marks a string to be written into the JSON text as is (not quoted): see {@link serializeBody}. */
const RAW_MARK = '\u0000raw:';

/** Number tokens valid in JSON text that `JSON.stringify` never writes. */
const RAW_NUMBER_TOKENS = ['1e999', '-1e999', '1E400', '-0', '-0.0', '123456789012345678901234567890', '1e-400', '0.1e1', '2E+2'];

/** Numbers at the edges. */
export const oddNumber: fc.Arbitrary<number> = fc.constantFrom(
  0,
  -0,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -1,
  0.5,
  1.5,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  1e21,
  -(2 ** 63),
);

/** Strings that look like numbers, or almost. */
export const numberLikeString: fc.Arbitrary<string> = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e308',
  '1e999',
  '0x10',
  '0b1',
  '0o7',
  '1_000',
  ' 1',
  '1 ',
  '',
  '+1',
  '.5',
  '5.',
  '00012',
  '1,5',
  '9'.repeat(400),
  '-9007199254740993',
);

/** Strings that break naive handling: control characters, lone surrogates, bidi marks, injections, traversal. */
export const trickyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\uFEFF',
    '\u202Egnp.exe',
    '\uD800',
    '\uDFFF',
    'x\uDBFFy',
    'Ω≈ç√∫',
    '😀🏳️‍🌈',
    'e\u0301\u0301\u0301',
    '\u2028\u2029',
    '\r\nX-Injected: yes',
    '\t\v\f',
    'null',
    'undefined',
    'true',
    '[object Object]',
    '__proto__',
    'constructor',
    '../../../../etc/passwd',
    '..\\..\\windows',
    '%00',
    '%2e%2e%2f',
    '<script>alert(1)</script>',
    "' OR '1'='1",
    '${jndi:ldap://127.0.0.1/a}',
    '{{7*7}}',
    '$..*',
    '$[?(@.a==1)]',
    '(a+)+$',
    '(?<=a)b',
    '[',
    '\\',
    '*',
    'http://169.254.169.254/latest/meta-data/',
    'http://user:pass@127.0.0.1:1/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'mon_aaaaaaaaaaaaaaaaaaaa',
    'wh_aaaaaaaaaaaaaaaaaaaa',
    ' ',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** Strings from 4 KiB to beyond the body limit. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(4_096, 70_000, 300_000, 1_100_000), fc.constantFrom('x', 'é', '\u0000', '😀', '%'))
  .map(([length, unit]) => unit.repeat(length));

/**
 * Arrays or objects nested 20 to 100,000 levels deep. Beyond a few thousand levels the nesting is
 * written into the JSON text directly (`JSON.stringify` would overflow the test's own stack).
 */
export const deeplyNested: fc.Arbitrary<unknown> = fc.tuple(fc.constantFrom(20, 65, 500, 3_000, 10_000, 100_000), fc.boolean()).map(([depth, arrays]) => {
  if (depth > 3_000) return `${RAW_MARK}deep:${arrays ? 'a' : 'o'}:${depth}`;
  let value: unknown = arrays ? [] : {};
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
});

/** An object with own `__proto__`, `constructor` or `prototype` keys (as JSON.parse would make them). */
export const prototypeKeys: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'), fc.jsonValue({ maxDepth: 2 }))
  .map(([key, value]) => {
    const object: Record<string, unknown> = {};
    setOwn(object, key, typeof value === 'object' && value !== null ? value : { polluted: value });
    return object;
  });

/** A number token `JSON.stringify` would never write, placed raw into the body. */
const rawNumber: fc.Arbitrary<string> = fc.constantFrom(...RAW_NUMBER_TOKENS).map((token) => `${RAW_MARK}${token}`);

/** A hostile value of any JSON type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(null, true, false, {}, [], '', 0), weight: 3 },
  { arbitrary: oddNumber, weight: 3 },
  { arbitrary: numberLikeString, weight: 3 },
  { arbitrary: rawNumber, weight: 2 },
  { arbitrary: trickyString, weight: 4 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deeplyNested, weight: 1 },
  { arbitrary: prototypeKeys, weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 100, maxLength: 300 }), weight: 1 },
);

/** An http(s) URL on loopback (a closed port, mostly), with odd paths and queries now and then. */
export const loopbackUrl: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    fc.oneof(fc.constantFrom('127.0.0.1', 'localhost', '[::1]'), fc.integer({ min: 1, max: 254 }).map((n) => `127.0.0.${n}`)),
    fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 65_535 }).map((port) => `:${port}`)),
    fc.oneof(fc.constant('/'), fc.webPath(), fc.constantFrom('/health', '/%2e%2e/', '/a?b=c#d', '/😀')),
  )
  .map(([scheme, host, port, path]) => `${scheme}://${host}${port}${path.startsWith('/') ? path : `/${path}`}`);

/**
 * Values for properties whose name says what they hold better than their schema can: URLs stay on
 * loopback, regions come from a small set (every new region costs the coordinator a consumer).
 */
export interface ValueHints {
  regions: readonly string[];
}

function hinted(name: string | undefined, hints: ValueHints): fc.Arbitrary<unknown> | undefined {
  switch (name) {
    case 'url':
      return loopbackUrl;
    case 'regions':
      return fc.uniqueArray(fc.constantFrom(...hints.regions), { minLength: 1, maxLength: Math.min(3, hints.regions.length) });
    case 'region':
      return fc.constantFrom(...hints.regions);
    case 'intervalSeconds':
      return fc.integer({ min: 10, max: 3_600 });
    default:
      return undefined;
  }
}

function mergeAllOf(document: OpenApiDocument, schemas: JsonSchema[]): JsonSchema {
  const merged: JsonSchema = { type: 'object', properties: {}, required: [] };
  for (const part of schemas) {
    const resolved = resolveSchema(document, part) ?? {};
    const flat = resolved.allOf ? mergeAllOf(document, resolved.allOf) : resolved;
    Object.assign(merged.properties ?? {}, flat.properties);
    merged.required = [...(merged.required ?? []), ...(flat.required ?? [])];
    if (flat.additionalProperties !== undefined) merged.additionalProperties = flat.additionalProperties;
  }
  return merged;
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = Math.min(schema.minLength ?? 0, 40);
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 30, 30));
  if (schema.format === 'uri') return loopbackUrl;
  if (schema.pattern !== undefined) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((value) => value.length <= (schema.maxLength ?? Infinity) && value.length >= (schema.minLength ?? 0));
    } catch {
      // A pattern JavaScript cannot compile: plain strings will do.
    }
  }
  return fc.string({ minLength, maxLength });
}

/**
 * Values shaped by `schema`: the right types, enums, required keys and (mostly) bounds, with
 * small arrays and strings. Deep schemas stop at a few levels with simple values.
 */
export function schemaValue(document: OpenApiDocument, schema: JsonSchema | undefined, hints: ValueHints, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const byName = hinted(name, hints);
  if (byName !== undefined) return byName;
  const resolved = resolveSchema(document, schema);
  if (resolved === undefined || depth > 6) return fc.jsonValue({ maxDepth: 1 });
  const own = resolved.allOf ? mergeAllOf(document, resolved.allOf) : resolved;
  if (Array.isArray(own.type)) {
    // OpenAPI 3.1's nullable and other unions of types: a value of one of them.
    const types = own.type.length > 0 ? own.type : undefined;
    if (types !== undefined) return fc.oneof(...types.map((type) => (type === 'null' ? fc.constant(null) : schemaValue(document, { ...own, type }, hints, name, depth + 1))));
  }
  let value: fc.Arbitrary<unknown>;
  if (own.const !== undefined) value = fc.constant(own.const);
  else if (own.enum !== undefined && own.enum.length > 0) value = fc.constantFrom(...own.enum);
  else if (own.anyOf ?? own.oneOf) value = fc.oneof(...(own.anyOf ?? own.oneOf ?? []).map((option) => schemaValue(document, option, hints, name, depth + 1)));
  else {
    switch (own.type ?? (own.properties ? 'object' : undefined)) {
      case 'object': {
        const properties = own.properties ?? {};
        const names = Object.keys(properties);
        if (names.length === 0) {
          const values = typeof own.additionalProperties === 'object' ? schemaValue(document, own.additionalProperties, hints, undefined, depth + 1) : fc.jsonValue({ maxDepth: 1 });
          value = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), values, { maxKeys: 3 });
          break;
        }
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const key of names) model[key] = schemaValue(document, properties[key], hints, key, depth + 1);
        value = fc.record(model, { requiredKeys: (own.required ?? []).filter((key) => names.includes(key)) });
        break;
      }
      case 'array': {
        const minLength = Math.min(own.minItems ?? 0, 3);
        const maxLength = Math.max(minLength, Math.min(own.maxItems ?? 3, 3));
        const items = schemaValue(document, own.items, hints, undefined, depth + 1);
        value = own.uniqueItems
          ? fc.uniqueArray(items, { minLength, maxLength, selector: (item) => JSON.stringify(item) })
          : fc.array(items, { minLength, maxLength });
        break;
      }
      case 'string':
        value = stringFor(own);
        break;
      case 'integer':
        value = fc.integer({ min: Math.max(own.minimum ?? -1_000, -(2 ** 31)), max: Math.min(own.maximum ?? 100_000, 2 ** 31) });
        break;
      case 'number':
        value = fc.double({ min: own.minimum ?? -1e6, max: own.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
        break;
      case 'boolean':
        value = fc.boolean();
        break;
      default:
        value = fc.jsonValue({ maxDepth: 2 });
    }
  }
  return own.nullable ? fc.option(value, { nil: null, freq: 8 }) : value;
}

/** One change to a value: a field replaced, removed, or added. */
interface Mutation {
  kind: 'replace' | 'delete' | 'add';
  /** Which node of the value (modulo their number). */
  at: number;
  key: string;
  value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'add'),
  at: fc.nat(),
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'unknownField', '')),
  value: hostileValue,
});

type Node = { parent: Record<string, unknown> | unknown[]; key: string | number } | { parent: null; key: null };

function nodesOf(value: unknown, into: Node[] = [{ parent: null, key: null }], depth = 0): Node[] {
  if (depth > 8 || typeof value !== 'object' || value === null) return into;
  const container = value as Record<string, unknown> | unknown[];
  for (const key of Array.isArray(container) ? container.keys() : Object.keys(container)) {
    into.push({ parent: container, key });
    nodesOf((container as Record<string | number, unknown>)[key], into, depth + 1);
  }
  return into;
}

/** Sets an own property, even `__proto__` (an assignment would change the prototype instead). */
function setOwn(target: Record<string | number, unknown> | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function applyMutation(root: unknown, change: Mutation): unknown {
  const nodes = nodesOf(root);
  const node = nodes[change.at % nodes.length] ?? { parent: null, key: null };
  if (node.parent === null) {
    if (change.kind === 'replace') return change.value;
    if (change.kind === 'add' && typeof root === 'object' && root !== null && !Array.isArray(root)) setOwn(root as Record<string, unknown>, change.key, change.value);
    return root;
  }
  const { parent, key } = node;
  if (change.kind === 'replace') setOwn(parent, key, change.value);
  else if (change.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else Reflect.deleteProperty(parent, key);
  } else {
    const target = (parent as Record<string | number, unknown>)[key];
    if (Array.isArray(target)) target.push(change.value);
    else if (typeof target === 'object' && target !== null) setOwn(target as Record<string, unknown>, change.key, change.value);
    else setOwn(parent, key, change.value);
  }
  return root;
}

/** `base` with one to three mutations applied (to a fresh copy). */
export function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([value, changes]) => {
    // JSON round trip: a fresh copy each time (fast-check may hand out the same value again).
    let copy: unknown = value === undefined ? undefined : structuredClone(value);
    for (const change of changes) copy = applyMutation(copy, change);
    return copy;
  });
}

/** A request body: mostly valid-ish or mutated, sometimes anything at all. */
export function bodyValue(validish: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: validish, weight: 3 },
    { arbitrary: mutated(validish), weight: 7 },
    { arbitrary: hostileValue, weight: 1 },
    { arbitrary: fc.jsonValue(), weight: 1 },
  );
}

/** How the JSON text is spoiled, if at all. */
export type TextDamage = { kind: 'none' } | { kind: 'truncate'; at: number } | { kind: 'insert'; at: number; text: string } | { kind: 'prefix'; text: string };

export const textDamage: fc.Arbitrary<TextDamage> = fc.oneof(
  { arbitrary: fc.constant<TextDamage>({ kind: 'none' }), weight: 12 },
  { arbitrary: fc.nat().map<TextDamage>((at) => ({ kind: 'truncate', at })), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.nat(), fc.constantFrom(',', '}', ']', '"', '\\', '\u0000', '/* c */', 'NaN', ',,', '\uFFFF', '\uD800'))
      .map<TextDamage>(([at, text]) => ({ kind: 'insert', at, text })),
    weight: 1,
  },
  { arbitrary: fc.constantFrom('\uFEFF', ' \n\t', ")]}',\n", 'null', '[]').map<TextDamage>((text) => ({ kind: 'prefix', text })), weight: 1 },
);

/**
 * The body's bytes: JSON text (with raw number tokens put in place) spoiled as `damage` says.
 * `undefined` sends no body at all.
 */
export function serializeBody(value: unknown, damage: TextDamage): Buffer | undefined {
  if (value === undefined) return undefined;
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch (error) {
    // Mutations may nest a deep hostile value in another (past JSON.stringify's stack), or put one
    // value inside itself (fast-check hands the same object to two mutations: a circle). Either
    // way, send a body that deep as brackets: what the server would have to parse.
    if (!(error instanceof RangeError) && !(error instanceof TypeError)) throw error;
    text = '['.repeat(30_000) + ']'.repeat(30_000);
  }
  // JSON.stringify escapes the mark's NUL as \u0000: find the marked strings and put their text in.
  text = text.replace(/"\\u0000raw:([^"]*)"/g, (_match, token: string) => rawText(token));
  switch (damage.kind) {
    case 'truncate':
      text = text.slice(0, damage.at % Math.max(text.length, 1));
      break;
    case 'insert': {
      const at = damage.at % (text.length + 1);
      text = text.slice(0, at) + damage.text + text.slice(at);
      break;
    }
    case 'prefix':
      text = damage.text + text;
      break;
    case 'none':
      break;
  }
  return Buffer.from(text, 'utf8');
}

/** The JSON text a raw mark stands for: a number token, or `deep:<a|o>:<levels>` nesting. */
function rawText(token: string): string {
  const deep = /^deep:([ao]):(\d+)$/.exec(token);
  if (!deep) return token;
  const levels = Number(deep[2]);
  return deep[1] === 'a' ? `${'['.repeat(levels)}${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** Path parameter values: real ids most of the time, else hostile ones (already percent-encoded for the path). */
export function pathParamValue(realIds: () => readonly string[]): fc.Arbitrary<string> {
  const hostile = fc.oneof(
    fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '..%2f..%2fhealth',
      '%2e%2e%2f%2e%2e%2fdocs-json',
      '..%5c..%5c',
      '%00',
      '%ff',
      '%c0%af',
      '%e0%80%af',
      '%',
      '%zz',
      '%25',
      '%20',
      'mon_aaaaaaaaaaaaaaaaaaaa',
      'mon_AAAAAAAAAAAAAAAAAAAA',
      'wh_aaaaaaaaaaaaaaaaaaaa',
      'inc_mon_aaaaaaaaaaaaaaaaaaaa_1',
      'inc_mon_aaaaaaaaaaaaaaaaaaaa_99999999999999999999',
      '__proto__',
      'constructor',
      'null',
      '-1',
      '0',
      '1e308',
      'NaN',
      '%F0%9F%98%80',
      '%E2%80%AE',
      'x'.repeat(2_000),
      'a;b=c',
      'a%3Fb%3Dc',
      'a%23b',
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((value) => encodeURIComponent(safeForUri(value))),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  );
  return fc.oneof(
    { arbitrary: fc.constant(null).chain(() => (realIds().length > 0 ? fc.constantFrom(...realIds()) : hostile)), weight: 3 },
    { arbitrary: hostile, weight: 2 },
  );
}

/** Lone surrogates cannot be percent-encoded: swap them for U+FFFD (as a browser would). */
function safeForUri(value: string): string {
  return value.replace(/[\uD800-\uDFFF]/g, (char, at: number, whole: string) => {
    const code = char.charCodeAt(0);
    const next = whole.charCodeAt(at + 1);
    const previous = whole.charCodeAt(at - 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return char;
    if (code >= 0xdc00 && previous >= 0xd800 && previous <= 0xdbff) return char;
    return '\uFFFD';
  });
}

/** A query string value: schema-shaped, or hostile. Returned unencoded. */
function queryValue(document: OpenApiDocument, schema: JsonSchema | undefined, hints: ValueHints, name: string): fc.Arbitrary<string> {
  const shaped = schemaValue(document, schema, hints, name).map((value) => (typeof value === 'string' ? value : JSON.stringify(value) ?? ''));
  return fc.oneof(
    { arbitrary: shaped, weight: 3 },
    { arbitrary: numberLikeString, weight: 2 },
    { arbitrary: trickyString.map(safeForUri), weight: 2 },
    { arbitrary: fc.constantFrom('0-0', '0', '-1', '1-0', '9999999999999999-9999999999999999', '2026-13-45T99:99:99Z', '1970-01-01T00:00:00Z', 'x'.repeat(5_000)), weight: 2 },
  );
}

/** A query string (`?a=b&...` or empty) for documented parameters, plus repeats, brackets and strangers. */
export function queryString(document: OpenApiDocument, parameters: readonly { name: string; schema?: JsonSchema }[], hints: ValueHints): fc.Arbitrary<string> {
  const documented = parameters.map((parameter) =>
    fc.option(
      fc.tuple(fc.constant(parameter.name), queryValue(document, parameter.schema, hints, parameter.name)),
      { nil: undefined, freq: 2 },
    ),
  );
  const stranger = fc.tuple(
    fc.oneof(
      fc.constantFrom('__proto__', 'constructor', '__proto__[polluted]', 'limit[]', 'limit[a]', 'a[b][c][d][e][f]', '', 'x'.repeat(300)),
      ...parameters.map((parameter) => fc.constant(parameter.name)),
      fc.string({ maxLength: 10 }),
    ),
    fc.oneof(fc.string({ maxLength: 10 }), numberLikeString),
  );
  return fc
    .tuple(fc.tuple(...documented), fc.array(stranger, { maxLength: 3 }), fc.boolean())
    .map(([known, extra, encodeKeys]) => {
      const pairs = [...known.filter((pair): pair is [string, string] => pair !== undefined), ...extra];
      if (pairs.length === 0) return '';
      return `?${pairs.map(([key, value]) => `${encodeKeys ? encodeURIComponent(safeForUri(key)) : encodeQueryKeyLoosely(key)}=${encodeURIComponent(safeForUri(value))}`).join('&')}`;
    });
}

/** Keeps brackets literal (`a[b]=`), as many clients send them, and encodes the rest. */
function encodeQueryKeyLoosely(key: string): string {
  return encodeURIComponent(safeForUri(key)).replace(/%5B/g, '[').replace(/%5D/g, ']');
}

/** How the body is encoded on the wire: mostly not at all; else compressed, or lying about it. */
export type BodyEncoding = 'identity' | 'gzip' | 'deflate' | 'br' | 'gzip-lie' | 'br-lie' | 'unknown' | 'gzip-truncated';

export const bodyEncoding: fc.Arbitrary<BodyEncoding> = fc.oneof(
  { arbitrary: fc.constant<BodyEncoding>('identity'), weight: 16 },
  { arbitrary: fc.constantFrom<BodyEncoding>('gzip', 'deflate', 'br', 'gzip-lie', 'br-lie', 'unknown', 'gzip-truncated'), weight: 3 },
);

/** The body as sent and its `Content-Encoding` header (none for identity). */
export function encodeBody(body: Buffer, encoding: BodyEncoding): { bytes: Buffer; header: string | undefined } {
  switch (encoding) {
    case 'identity':
      return { bytes: body, header: undefined };
    case 'gzip':
      return { bytes: gzipSync(body), header: 'gzip' };
    case 'deflate':
      return { bytes: deflateSync(body), header: 'deflate' };
    case 'br':
      return { bytes: brotliCompressSync(body), header: 'br' };
    case 'gzip-lie':
      return { bytes: body, header: 'gzip' };
    case 'br-lie':
      return { bytes: body, header: 'br' };
    case 'unknown':
      return { bytes: body, header: 'compress' };
    case 'gzip-truncated': {
      const whole = gzipSync(body);
      return { bytes: whole.subarray(0, Math.max(1, whole.length - 6)), header: 'gzip' };
    }
  }
}

/** Content-Type headers: the route's own, and the wrong ones. `undefined` sends none. */
export function contentType(own: readonly string[]): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...(own.length > 0 ? own : ['application/json'])), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        undefined,
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'application/json; charset=klingon',
        'application/json; charset=utf-7',
        'application/vnd.api+json',
        'application/merge-patch+json',
        'application/xml',
        '*/*',
        'application/json; boundary=";"',
      ),
      weight: 2,
    },
  );
}
