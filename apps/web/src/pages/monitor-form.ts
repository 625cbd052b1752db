import type { FieldIssue, MonitorView } from '../api/api-types';

/** The fields of the monitor form, each bound to a path of the API's monitor body. */
export const FORM_FIELDS = {
  name: 'name',
  key: 'key',
  url: 'url',
  method: 'method',
  regions: 'regions',
  intervalSeconds: 'intervalSeconds',
  timeoutMs: 'timeoutMs',
  expectStatus: 'expect.status',
  bodyContains: 'expect.body.contains',
  degradedMs: 'expect.latency.degradedMs',
  cacheBypass: 'cacheBypass',
  openAfter: 'incidents.openAfter',
  resolveAfter: 'incidents.resolveAfter',
  advanced: '',
} as const;

/** One field of the form. */
export type FormField = keyof typeof FORM_FIELDS;

/** What the form holds: text as typed (the API, not the form, says what is wrong with it). */
export interface FormValues {
  name: string;
  key: string;
  url: string;
  method: string;
  regions: string;
  intervalSeconds: string;
  timeoutMs: string;
  expectStatus: string;
  bodyContains: string;
  degradedMs: string;
  /** `''`: the default (on for GET and HEAD); `on`; `off`. */
  cacheBypass: '' | 'on' | 'off';
  openAfter: string;
  resolveAfter: string;
  /** More of the monitor body as a JSON object (headers, JSON assertions, ...), merged over the rest. */
  advanced: string;
}

/** A new monitor's form: what is left empty takes the API's defaults. */
export function emptyForm(): FormValues {
  return {
    name: '',
    key: '',
    url: '',
    method: 'GET',
    regions: '',
    intervalSeconds: '60',
    timeoutMs: '',
    expectStatus: '',
    bodyContains: '',
    degradedMs: '',
    cacheBypass: '',
    openAfter: '',
    resolveAfter: '',
    advanced: '',
  };
}

/** The form of an existing monitor, as the API shows it. */
export function formOfMonitor(monitor: MonitorView): FormValues {
  return {
    name: monitor.name,
    key: monitor.key === monitor.id ? '' : monitor.key,
    url: monitor.spec.url,
    method: monitor.spec.method,
    regions: monitor.regions.join(', '),
    intervalSeconds: String(monitor.intervalSeconds),
    timeoutMs: String(monitor.spec.timeoutMs),
    expectStatus: (monitor.spec.expect.status ?? []).join(', '),
    bodyContains: monitor.spec.expect.body.contains.join('\n'),
    degradedMs: String(monitor.spec.expect.latency.degradedMs),
    cacheBypass: monitor.spec.cacheBypass === undefined ? '' : monitor.spec.cacheBypass ? 'on' : 'off',
    openAfter: String(monitor.incidents.openAfter),
    resolveAfter: String(monitor.incidents.resolveAfter),
    advanced: '',
  };
}

/** A number as typed, or the text itself when it is none: the API's validation then says what is wrong. */
function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

type Json = { [key: string]: unknown };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `target[path] = value`, making the objects on the way; `undefined` deletes it. */
function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Json;
  }
  const last = parts[parts.length - 1]!;
  if (value === undefined) Reflect.deleteProperty(node, last);
  else node[last] = value;
}

/** `base` with `extra` merged in, objects merged member by member, anything else replaced. */
function merge(base: Json, extra: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(extra)) out[key] = isObject(value) && isObject(out[key]) ? merge(out[key] as Json, value) : value;
  return out;
}

/**
 * The body of `POST /v1/monitors` (or, from `base`, of `PUT /v1/monitors/{id}`: the monitor as the
 * API shows it, so what the form does not show is kept). Empty fields are left out (defaults
 * apply). `advanced` must be a JSON object; when it is not, `advancedError` says why and nothing is sent.
 */
export function bodyOfForm(values: FormValues, base?: MonitorView): { body: Json } | { advancedError: string } {
  let extra: Json = {};
  if (values.advanced.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(values.advanced);
      if (!isObject(parsed)) return { advancedError: 'must be a JSON object, e.g. {"headers": {"x-probe": "crosscheck"}}' };
      extra = parsed;
    } catch (error) {
      return { advancedError: `is not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const body: Json = base
    ? { name: base.name, regions: base.regions, intervalSeconds: base.intervalSeconds, reconcile: base.reconcile, incidents: base.incidents, ...structuredClone(base.spec) }
    : {};
  const text = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
  setPath(body, 'name', text(values.name) ?? (base ? '' : undefined));
  if (!base) setPath(body, 'key', text(values.key));
  setPath(body, 'url', text(values.url) ?? (base ? '' : undefined));
  setPath(body, 'method', text(values.method));
  // Split at commas only: a name with a space is sent as typed, for the API to say what is wrong with it.
  const regions = values.regions
    .split(/[,\n]+/)
    .map((region) => region.trim())
    .filter((region) => region !== '');
  setPath(body, 'regions', regions.length > 0 ? regions : base ? [] : undefined);
  setPath(body, 'intervalSeconds', numberOrText(values.intervalSeconds));
  setPath(body, 'timeoutMs', numberOrText(values.timeoutMs));
  const statuses = values.expectStatus
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .map((entry) => (/^\d{3}$/.test(entry) ? Number(entry) : entry));
  setPath(body, 'expect.status', statuses.length > 0 ? statuses : undefined);
  const contains = values.bodyContains.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  setPath(body, 'expect.body.contains', contains.length > 0 ? contains : base ? [] : undefined);
  setPath(body, 'expect.latency.degradedMs', numberOrText(values.degradedMs));
  setPath(body, 'cacheBypass', values.cacheBypass === '' ? undefined : values.cacheBypass === 'on');
  setPath(body, 'incidents.openAfter', numberOrText(values.openAfter));
  setPath(body, 'incidents.resolveAfter', numberOrText(values.resolveAfter));
  for (const empty of ['expect.body', 'expect.latency', 'expect', 'incidents'] as const) {
    const parts = empty.split('.');
    let node: unknown = body;
    for (const part of parts) node = isObject(node) ? node[part] : undefined;
    if (isObject(node) && Object.keys(node).length === 0 && !base) setPath(body, empty, undefined);
  }
  return { body: merge(body, extra) };
}

/** The form field a validation issue is about (`regions.0` is `regions`); `advanced` for a path the form has no field for. */
export function fieldOfIssue(path: string): FormField {
  let best: FormField = 'advanced';
  let bestLength = -1;
  for (const [field, fieldPath] of Object.entries(FORM_FIELDS) as [FormField, string][]) {
    if (fieldPath === '') continue;
    if ((path === fieldPath || path.startsWith(`${fieldPath}.`)) && fieldPath.length > bestLength) {
      best = field;
      bestLength = fieldPath.length;
    }
  }
  return best;
}

/** The API's validation issues by form field, each with its path (a message about an item names the item). */
export function issuesByField(issues: readonly FieldIssue[]): Partial<Record<FormField, string[]>> {
  const byField: Partial<Record<FormField, string[]>> = {};
  for (const issue of issues) {
    const field = fieldOfIssue(issue.path);
    const fieldPath = FORM_FIELDS[field];
    const message = issue.path === fieldPath || (fieldPath === '' && issue.path === '') ? issue.message : `${issue.path}: ${issue.message}`;
    (byField[field] ??= []).push(message);
  }
  return byField;
}
