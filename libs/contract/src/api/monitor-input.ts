import {
  compileParsedSpec,
  incidentPolicySchema,
  MAX_MONITOR_JSON_BYTES,
  MAX_MONITOR_NAME_LENGTH,
  MAX_REGIONS_PER_MONITOR,
  MonitorSpecError,
  monitorSpecSchema,
  reconcilePolicySchema,
  type IncidentPolicy,
  type MonitorSpec,
  type ReconcilePolicy,
  type SpecIssue,
} from '@crosscheck/checks';
import { z } from 'zod';
import { regionNameSchema } from '../region';
import { fieldIssuesOf } from './field-issue';
import { InvalidMonitorError } from './invalid-monitor.error';
import { resourceKeySchema } from './resource-key';
import { CHANNEL_ID_PATTERN } from './channel';
import { maintenanceLabelsSchema as monitorLabelsSchema } from './maintenance-input';

/** Most channels a monitor names directly. */
export const MAX_MONITOR_CHANNELS = 20;

/** Longest interval a monitor may ask for: one day. */
export const MAX_INTERVAL_SECONDS = 86_400;

/** A monitor as a client writes it, validated: the envelope fields and the spec, defaults applied. */
export interface MonitorInput {
  /** The user's stable name for the monitor (configuration files address it by this); none when left out. */
  key?: string;
  name: string;
  regions: string[];
  intervalSeconds: number;
  /** How a round's verdicts are reconciled into a classification (quorums); defaults applied. */
  reconcile: ReconcilePolicy;
  /** How incidents are confirmed (open after N rounds, resolve after M, ...); defaults applied. */
  incidents: IncidentPolicy;
  /** The monitor's labels (`{"team": "payments"}`): what policies and maintenance windows select by; `{}` when none. */
  labels?: Record<string, string>;
  /** Channels every event of this monitor goes to, besides what policies route (ids); `[]` when none. */
  channels?: string[];
  spec: MonitorSpec;
}

/** Fields of the request body that belong to the monitor rather than to its spec. */
const ENVELOPE_FIELDS = ['key', 'name', 'regions', 'intervalSeconds', 'reconcile', 'incidents', 'labels', 'channels'] as const;

/**
/**
 * A monitor body as a schema, for the OpenAPI document: the envelope and the spec's fields at one
 * level. {@link parseMonitorInput} is what validates (it also compiles expressions and paths).
 */
export function monitorInputSchema(minIntervalSeconds: number) {
  return z
    .object({ ...monitorEnvelopeSchema(minIntervalSeconds).shape, ...monitorSpecSchema.shape })
    .strict()
    .describe('A monitor as written: key, name, regions and interval, plus every field of the monitor spec at the top level.');
}

/**
 * The monitor's own fields (everything but the spec), as the API validates them: `parseMonitorInput`
 * uses it, and the CLI's published JSON Schema for configuration files is generated from it.
 */
export function monitorEnvelopeSchema(minIntervalSeconds: number) {
  // Built once per floor: building a zod object costs more than parsing a monitor with it, and
  // every monitor of a request or a file is parsed with the same one.
  let schema = envelopeSchemas.get(minIntervalSeconds);
  if (schema === undefined) {
    schema = buildEnvelopeSchema(minIntervalSeconds);
    envelopeSchemas.set(minIntervalSeconds, schema);
  }
  return schema;
}

const envelopeSchemas = new Map<number, ReturnType<typeof buildEnvelopeSchema>>();

function buildEnvelopeSchema(minIntervalSeconds: number) {
  return z
    .object({
      key: resourceKeySchema.optional(),
      name: z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(MAX_MONITOR_NAME_LENGTH, `must be at most ${MAX_MONITOR_NAME_LENGTH} characters`),
      regions: z
        .array(regionNameSchema)
        .min(1, 'must name at least one region')
        .max(MAX_REGIONS_PER_MONITOR, `must name at most ${MAX_REGIONS_PER_MONITOR} regions`)
        .superRefine((regions, ctx) => {
          regions.forEach((region, index) => {
            if (regions.indexOf(region) !== index) {
              ctx.addIssue({ code: 'custom', path: [index], message: `duplicate region "${region}"` });
            }
          });
        }),
      intervalSeconds: z
        .number()
        .int('must be a whole number of seconds')
        .min(minIntervalSeconds, `must be at least ${minIntervalSeconds}`)
        .max(MAX_INTERVAL_SECONDS, `must be at most ${MAX_INTERVAL_SECONDS}`),
      reconcile: reconcilePolicySchema,
      incidents: incidentPolicySchema,
      labels: monitorLabelsSchema.default({}).describe('Labels policies and maintenance windows select the monitor by (`{"team": "payments", "env": "prod"}`).'),
      channels: z
        .array(z.string().regex(CHANNEL_ID_PATTERN, 'must be a channel id (ch_ or wh_ + 20 characters of a-z and 2-7)'))
        .max(MAX_MONITOR_CHANNELS, `must name at most ${MAX_MONITOR_CHANNELS} channels`)
        .superRefine((ids, ctx) => {
          ids.forEach((id, index) => {
            if (ids.indexOf(id) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate channel "${id}"` });
          });
        })
        .default([])
        .describe("Channels that get every event of this monitor, besides what policies route (their `events` still apply)."),
    })
    .strict();
}

/**
 * Validates a monitor body (`{name, regions, intervalSeconds, ...spec}`) the way the API takes it.
 * The spec part goes through `monitorSpecSchema` and then `compileParsedSpec`, so regular
 * expressions and JSONPaths that do not compile are caught here, not at the agents.
 * Throws {@link InvalidMonitorError} naming every field at fault (`expect.json.0.path`).
 */
export function parseMonitorInput(body: unknown, minIntervalSeconds: number): MonitorInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidMonitorError([{ path: '', message: 'the body must be a JSON object' }]);
  }
  // Before any schema reads it: the API's body parser caps request bodies at the same size, and
  // this also holds for what a merge patch makes of a stored monitor.
  const bytes = Buffer.byteLength(JSON.stringify(body), 'utf8');
  if (bytes > MAX_MONITOR_JSON_BYTES) {
    throw new InvalidMonitorError([{ path: '', message: `the monitor is ${bytes} bytes of JSON, more than the ${MAX_MONITOR_JSON_BYTES} allowed` }]);
  }
  const envelope: Record<string, unknown> = {};
  const specInput: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    ownProperty((ENVELOPE_FIELDS as readonly string[]).includes(key) ? envelope : specInput, key, value);
  }

  const envelopeResult = monitorEnvelopeSchema(minIntervalSeconds).safeParse(envelope);
  const specResult = monitorSpecSchema.safeParse(specInput);
  const issues = [
    ...(envelopeResult.success ? [] : fieldIssuesOf(envelopeResult.error)),
    ...(specResult.success ? compileIssues(specResult.data) : [...fieldIssuesOf(specResult.error), ...compilableIssues(specInput)]),
  ];
  if (!envelopeResult.success || !specResult.success || issues.length > 0) throw new InvalidMonitorError(issues);
  return { ...envelopeResult.data, spec: specResult.data };
}

/** The monitor as a client would write it: what PATCH merges into. */
export function monitorDocument(input: MonitorInput): Record<string, unknown> {
  return {
    ...(input.key !== undefined ? { key: input.key } : {}),
    name: input.name,
    regions: input.regions,
    intervalSeconds: input.intervalSeconds,
    // Monitors stored before the policies existed have neither: left out, they take their defaults.
    ...(input.reconcile !== undefined ? { reconcile: input.reconcile } : {}),
    ...(input.incidents !== undefined ? { incidents: input.incidents } : {}),
    // Monitors stored before labels existed have none.
    ...(input.labels !== undefined && Object.keys(input.labels).length > 0 ? { labels: input.labels } : {}),
    ...(input.channels !== undefined && input.channels.length > 0 ? { channels: input.channels } : {}),
    ...input.spec,
  };
}

/** What compiling the spec finds that the schema cannot: regular expressions and JSONPaths that do not compile. */
function compileIssues(spec: MonitorSpec): SpecIssue[] {
  try {
    compileParsedSpec(spec);
    return [];
  } catch (error) {
    if (error instanceof MonitorSpecError) return error.issues;
    throw error;
  }
}

/**
 * When the spec fails its schema elsewhere (say, the URL), still compile the parts that compile
 * (expectations, resolve overrides) if they pass the schema on their own, so that one answer
 * names every field at fault.
 */
function compilableIssues(specInput: Record<string, unknown>): SpecIssue[] {
  const parts = monitorSpecSchema.safeParse({ url: 'http://compile-check.invalid/', expect: specInput['expect'], resolve: specInput['resolve'] });
  return parts.success ? compileIssues(parts.data) : [];
}

/** Sets `key` as an own property even when it is `__proto__`: keys of parsed JSON are data, never a prototype. */
function ownProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
