import type { HealthFormat, HealthReport, HealthState } from './health-report';
import { booleanStateOf, healthStateOf, worstState } from './health-vocabulary';
import { isJsonObject, keyOf, lowerCaseKeys, type JsonObject } from '../../json/json-object';


const MAX_OUTPUT_CHARS = 200;
/** Spring nests composite components; deeper than this is not a health document we need to understand. */
const MAX_DEPTH = 4;
/** Bounds the work on a pathological document (a list of ten thousand "checks"). */
const MAX_ENTRIES = 200;

const IETF_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/health+json', 'application/vnd.health+json']);
const SPRING_STATUSES: ReadonlySet<string> = new Set(['UP', 'DOWN', 'OUT_OF_SERVICE', 'UNKNOWN']);
/** `HealthStatus.ToString()` in ASP.NET Core: what both the default writer and most custom writers emit. */
const DOTNET_STATUSES: ReadonlySet<string> = new Set(['Healthy', 'Degraded', 'Unhealthy']);
const IETF_STATUSES: ReadonlySet<string> = new Set(['pass', 'warn', 'fail']);

/**
 * Top-level keys holding the dependencies, across dialects: IETF and most home-made documents
 * `checks`, Spring Boot 2.2+ `components` (2.0–2.1 `details`), HealthChecks.UI `entries`, NestJS
 * Terminus `details` (its `info`/`error` repeat it). Custom .NET writers' `results` counts only
 * beside a .NET status word: elsewhere it is too often a payload (test runs, searches).
 */
const CONTAINER_KEYS = ['checks', 'components', 'entries', 'details', 'dependencies', 'services', 'results'];
/** Containers that make a document a health document even without a top-level status. */
const SELF_EVIDENT_CONTAINERS: ReadonlySet<string> = new Set(['checks', 'components', 'entries']);
/** Keys inside a dependency that may hold its own sub-dependencies (Spring composites). */
const NESTED_KEYS = ['components', 'checks', 'entries', 'details'];

/**
 * Keys a health document carries beside its status. A document whose other keys are all of
 * these is a health document even with no dependencies listed (`{"status": "ok", "uptime": 12}`);
 * one with any other string field (`"customer": "ACME"`) is an API payload that happens to have
 * a `status`, and is left alone.
 */
const METADATA_KEYS: ReadonlySet<string> = new Set([
  'name', 'app', 'application', 'service', 'servicename', 'service_name', 'serviceid', 'version', 'releaseid',
  'release', 'build', 'buildtime', 'commit', 'sha', 'git', 'revision', 'description', 'notes', 'output', 'uptime',
  'timestamp', 'time', 'date', 'datetime', 'checkedat', 'checked_at', 'lastchecked', 'last_checked',
  'totalduration', 'duration', 'hostname', 'host', 'instance', 'instanceid', 'node', 'pod', 'environment', 'env',
  'region', 'zone', 'datacenter', 'links', '_links', 'pid', 'startedat', 'started_at', 'starttime', 'server',
  // Spring Boot 2.3+ lists its probe groups beside a status shown without details.
  'groups',
]);
/** Keys of API envelopes and payloads: their presence means the `status` describes a call or a record, not health. */
const PAYLOAD_KEYS: ReadonlySet<string> = new Set(['data', 'result', 'results', 'payload', 'items', 'records', 'response', 'errors', 'code']);
/** JSend's failure words: with a `message`, `{"status": "error"}` is an error envelope (the soft-error detector's), not a health report. */
const JSEND_FAILURE_WORDS: ReadonlySet<string> = new Set(['error', 'fail']);

const STATE_KEYS = ['status', 'state', 'health'];
const BOOLEAN_STATE_KEYS = ['healthy', 'ishealthy', 'ok', 'up', 'connected', 'alive', 'available', 'reachable'];
const NAME_KEYS = ['name', 'key', 'component', 'componentname', 'componentid', 'id', 'check', 'service', 'dependency'];
const OUTPUT_KEYS = ['output', 'error', 'message', 'description', 'exception', 'reason', 'err', 'errormessage', 'error_message'];

/** Accumulates dependency states while walking a document. */
interface Dependencies {
  seen: number;
  worst: HealthState | undefined;
  failed: string[];
  degraded: string[];
  outputs: Record<string, string>;
  /** Every dependency named, whatever its state, in document order. */
  names: string[];
}

/**
 * Reads a body as a health document, when it really is one: Spring Boot Actuator, the IETF
 * `application/health+json` draft, ASP.NET Core (plain-text writer and HealthChecks.UI JSON),
 * NestJS Terminus and the common home-made shapes (`checks` as object or list, and flat fields
 * such as `"database": "disconnected"`). Conservative: an API object that merely has a `status`
 * field (`{"status": "shipped"}`, `{"id": 7, "status": "failed"}`) is not one.
 *
 * @param json the parsed body, or `undefined` when the body is not JSON
 * @param mediaType the lower-case media type without parameters (`''` when absent)
 * @param body the raw body, read only for the plain-text dialect
 * @param dependencyNames when given, receives every dependency the document names, whatever its
 *   state, in document order (at most 200): what a healthy baseline remembers
 * @returns the report, or `undefined` when the body is not a health document
 */
export function readHealthDocument(json: unknown, mediaType: string, body: string, dependencyNames: string[] = []): HealthReport | undefined {
  if (isJsonObject(json)) return readJsonDocument(json, mediaType, dependencyNames);
  return json === undefined ? readPlainText(body, mediaType) : undefined;
}

/** ASP.NET Core's default writer: the bare `HealthStatus` name, as text/plain. */
function readPlainText(body: string, mediaType: string): HealthReport | undefined {
  if (body.length > 32 || (mediaType !== '' && mediaType !== 'text/plain')) return undefined;
  const word = body.trim();
  if (!DOTNET_STATUSES.has(word)) return undefined;
  const overall = healthStateOf(word) ?? 'unknown';
  return { format: 'dotnet', overall, overallRaw: word, failed: [], degraded: [], outputs: {} };
}

function readJsonDocument(doc: JsonObject, mediaType: string, names: string[]): HealthReport | undefined {
  const keys = lowerCaseKeys(doc);
  const statusKey = keys.get('status');
  const rawStatus = statusKey === undefined ? undefined : doc[statusKey];
  // `{"status": 404}` or statuspage.io's `{"status": {"indicator": …}}` are other things.
  if (rawStatus !== undefined && typeof rawStatus !== 'string') return undefined;
  const topState = rawStatus === undefined ? undefined : healthStateOf(rawStatus);
  if (rawStatus !== undefined && topState === undefined) return undefined;

  const dependencies: Dependencies = { seen: 0, worst: undefined, failed: [], degraded: [], outputs: {}, names };
  const containers = new Set<string>();
  for (const name of CONTAINER_KEYS) {
    const key = keys.get(name);
    if (key === undefined) continue;
    if (rawStatus === undefined && !SELF_EVIDENT_CONTAINERS.has(name)) continue;
    if (name === 'results' && (rawStatus === undefined || !DOTNET_STATUSES.has(rawStatus))) continue;
    if (readContainer(doc[key], '', dependencies, 0)) containers.add(name);
  }

  if (containers.size === 0) {
    if (rawStatus === undefined) return undefined;
    if (!readFlatFields(doc, statusKey, rawStatus, dependencies)) return undefined;
  }

  const overall = topState ?? dependencies.worst ?? 'unknown';
  return {
    format: formatOf(doc, keys, rawStatus, containers, mediaType),
    overall,
    overallRaw: rawStatus ?? '',
    failed: dependencies.failed,
    degraded: dependencies.degraded,
    outputs: dependencies.outputs,
  };
}

/**
 * The flat style (`{"status": "ok", "database": "disconnected", "redis": "connected"}`) and
 * Spring Boot 1.x, whose indicators sit beside the status. Returns `false` when a field shows the
 * object is an API payload rather than a health document.
 */
function readFlatFields(doc: JsonObject, statusKey: string | undefined, rawStatus: string, into: Dependencies): boolean {
  const jsendFailure = JSEND_FAILURE_WORDS.has(rawStatus.toLowerCase());
  let unexplained = 0;
  for (const key of Object.keys(doc)) {
    if (key === statusKey) continue;
    const lower = key.toLowerCase();
    if (METADATA_KEYS.has(lower)) continue;
    if (lower === 'message' && !jsendFailure) continue;
    if (PAYLOAD_KEYS.has(lower)) return false;
    const value = doc[key];
    if (typeof value === 'string') {
      const state = healthStateOf(value);
      if (state === undefined) return false;
      addDependency(into, key, state, undefined);
    } else if (typeof value === 'boolean') {
      const state = booleanStateOf(key, value);
      if (state === undefined) unexplained++;
      else addDependency(into, key, state, undefined);
    } else if (isJsonObject(value)) {
      const state = stateOfEntry(value);
      if (state !== undefined) readEntry(value, state, key, into, 0);
    } else if (Array.isArray(value)) {
      // Lists beside a bare status belong to payloads (`{"status": "ok", "orders": […]}`).
      return false;
    } else {
      unexplained++;
    }
  }
  // With no dependency beside it, a status alone is health only when nothing else is there:
  // `{"id": 7, "status": "failed"}` is a record, `{"status": "down", "uptime": 3}` is health.
  return into.seen > 0 || unexplained === 0;
}

/** Reads a map or list of dependencies; `true` when at least one entry had a recognisable state. */
function readContainer(value: unknown, prefix: string, into: Dependencies, depth: number): boolean {
  const before = into.seen;
  if (Array.isArray(value)) {
    value.slice(0, MAX_ENTRIES).forEach((item, index) => {
      if (!isJsonObject(item)) return;
      const state = stateOfEntry(item);
      if (state !== undefined) readEntry(item, state, prefix + (nameOf(item) ?? String(index)), into, depth);
    });
    return into.seen > before;
  }
  if (!isJsonObject(value)) return false;
  let entries = 0;
  for (const name of Object.keys(value)) {
    if (++entries > MAX_ENTRIES) break;
    const entry = value[name];
    const path = prefix + name;
    if (typeof entry === 'string') {
      const state = healthStateOf(entry);
      if (state !== undefined) addDependency(into, path, state, undefined);
    } else if (typeof entry === 'boolean') {
      addDependency(into, path, entry ? 'pass' : 'fail', undefined);
    } else if (Array.isArray(entry)) {
      readNodes(entry, path, into);
    } else if (isJsonObject(entry)) {
      const state = stateOfEntry(entry);
      if (state !== undefined) readEntry(entry, state, path, into, depth);
    }
  }
  return into.seen > before;
}

/** IETF: one check key, one object per node; the check is as bad as its worst node. */
function readNodes(nodes: readonly unknown[], path: string, into: Dependencies): void {
  let worst: HealthState | undefined;
  let output: string | undefined;
  for (const node of nodes.slice(0, MAX_ENTRIES)) {
    if (!isJsonObject(node)) continue;
    const state = stateOfEntry(node);
    if (state === undefined) continue;
    if (output === undefined && (state === 'fail' || state === 'warn')) output = outputOf(node);
    worst = worstState(worst, state);
  }
  if (worst !== undefined) addDependency(into, path, worst, output);
}

/** One dependency (its state already read), with its sub-dependencies when it is a composite. */
function readEntry(entry: JsonObject, state: HealthState, path: string, into: Dependencies, depth: number): void {
  const failedBefore = into.failed.length;
  const degradedBefore = into.degraded.length;
  if (depth < MAX_DEPTH) {
    for (const name of NESTED_KEYS) {
      const key = keyOf(entry, name);
      // Spring's `details` usually hold facts (`{"database": "H2"}`, Elasticsearch's own `"status": "yellow"`); only a map of components counts.
      if (key !== undefined && isComponentMap(entry[key])) readContainer(entry[key], `${path}.`, into, depth + 1);
    }
  }
  const childFailed = into.failed.length > failedBefore;
  const childDegraded = into.degraded.length > degradedBefore;
  // A composite is as sick as its children: name the leaves, and the parent only when it alone says so.
  if ((state === 'fail' && !childFailed) || (state === 'warn' && !childFailed && !childDegraded)) {
    addDependency(into, path, state, outputOf(entry));
  } else {
    into.seen++;
    into.worst = worstState(into.worst, state);
    nameDependency(into, path);
  }
}

function addDependency(into: Dependencies, name: string, state: HealthState, output: string | undefined): void {
  into.seen++;
  into.worst = worstState(into.worst, state);
  nameDependency(into, name);
  const list = state === 'fail' ? into.failed : state === 'warn' ? into.degraded : undefined;
  if (!list) return;
  if (!list.includes(name)) list.push(name);
  if (output !== undefined && into.outputs[name] === undefined) into.outputs[name] = output;
}

function nameDependency(into: Dependencies, name: string): void {
  if (into.names.length < MAX_ENTRIES && !into.names.includes(name)) into.names.push(name);
}

/** A map whose every value is a dependency object with a state: Spring's `components`, or 2.0's nested `details`. */
function isComponentMap(value: unknown): value is JsonObject {
  if (!isJsonObject(value)) return false;
  const names = Object.keys(value);
  return names.length > 0 && names.every((name) => {
    const entry = value[name];
    return isJsonObject(entry) && stateOfEntry(entry) !== undefined;
  });
}

/** The state an entry reports, from `status`/`state`/`health`, or a boolean such as `healthy`. */
function stateOfEntry(entry: JsonObject): HealthState | undefined {
  for (const name of STATE_KEYS) {
    const key = keyOf(entry, name);
    const value = key === undefined ? undefined : entry[key];
    if (typeof value === 'string') {
      const state = healthStateOf(value);
      if (state !== undefined) return state;
    }
  }
  for (const name of BOOLEAN_STATE_KEYS) {
    const key = keyOf(entry, name);
    const value = key === undefined ? undefined : entry[key];
    if (typeof value === 'boolean') return value ? 'pass' : 'fail';
  }
  return undefined;
}

function nameOf(item: JsonObject): string | undefined {
  for (const name of NAME_KEYS) {
    const key = keyOf(item, name);
    const value = key === undefined ? undefined : item[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** The dependency's own words about what is wrong: IETF `output`, Spring `details.error`, .NET `description`/`exception`. */
function outputOf(entry: JsonObject): string | undefined {
  const own = textField(entry);
  if (own !== undefined) return own;
  for (const name of ['details', 'data']) {
    const key = keyOf(entry, name);
    const nested = key === undefined ? undefined : entry[key];
    if (isJsonObject(nested)) {
      const text = textField(nested);
      if (text !== undefined) return text;
    }
  }
  return undefined;
}

function textField(entry: JsonObject): string | undefined {
  for (const name of OUTPUT_KEYS) {
    const key = keyOf(entry, name);
    let value = key === undefined ? undefined : entry[key];
    if (isJsonObject(value)) value = value['message'];
    if (typeof value === 'string' && value.trim() !== '') return clip(value.trim());
  }
  return undefined;
}

function formatOf(
  doc: JsonObject,
  keys: ReadonlyMap<string, string>,
  rawStatus: string | undefined,
  containers: ReadonlySet<string>,
  mediaType: string,
): HealthFormat {
  if (IETF_MEDIA_TYPES.has(mediaType)) return 'ietf-health';
  if (containers.has('entries') || keys.has('totalduration') || (rawStatus !== undefined && DOTNET_STATUSES.has(rawStatus))) {
    return 'dotnet';
  }
  const componentsKey = keys.get('components');
  const springComponents = containers.has('components') && componentsKey !== undefined && isJsonObject(doc[componentsKey]);
  if (springComponents || (rawStatus !== undefined && SPRING_STATUSES.has(rawStatus))) return 'spring-actuator';
  if (rawStatus !== undefined && IETF_STATUSES.has(rawStatus) && containers.has('checks')) {
    const checksKey = keys.get('checks');
    const checks = checksKey === undefined ? undefined : doc[checksKey];
    // The draft's signature: each check key holds a list of per-node objects.
    if (isJsonObject(checks) && Object.values(checks).some(Array.isArray)) return 'ietf-health';
  }
  return 'simple';
}


function clip(text: string): string {
  return text.length > MAX_OUTPUT_CHARS ? text.slice(0, MAX_OUTPUT_CHARS) : text;
}
