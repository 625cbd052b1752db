import {
  CAUSE_CODES,
  CLASSIFICATIONS,
  INCIDENT_EVENT_TYPES,
  incidentPolicySchema,
  MAX_MONITOR_NAME_LENGTH,
  MAX_REGIONS_PER_MONITOR,
  monitorSpecSchema,
  reconcilePolicySchema,
} from '@crosscheck/checks';
import { RESOURCE_KEY_PATTERN } from '@crosscheck/contract';
import { MAX_ACKNOWLEDGED_BY_LENGTH } from '../incidents/acknowledgement-input';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** A `$ref` to one of {@link openApiSchemas}. */
export function schemaRef(name: keyof ReturnType<typeof openApiSchemas>): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/** A page of a list read by cursor (`{items, nextCursor}`), its items the schema named `itemSchema`. */
export function cursorPage(itemSchema: string): SchemaObject {
  return {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: {
      items: { type: 'array', items: { $ref: `#/components/schemas/${itemSchema}` } },
      nextCursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; `null` on the last.' },
    },
  };
}

const isoTime = { type: 'string', format: 'date-time' } as const;
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });

/**
 * The API's schemas for the OpenAPI document. The monitor spec's schema is generated from
 * `monitorSpecSchema` (the same zod schema that validates requests) so the two cannot drift;
 * the rest is written by hand.
 */
export function openApiSchemas(minIntervalSeconds: number) {
  const monitorSpec = z.toJSONSchema(monitorSpecSchema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as SchemaObject & {
    $schema?: string;
  };
  delete monitorSpec.$schema;
  const policy = (schema: z.ZodType, description: string): SchemaObject => {
    const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as SchemaObject & { $schema?: string };
    delete json.$schema;
    return { ...json, description };
  };

  const problem: SchemaObject = {
    type: 'object',
    required: ['statusCode', 'error', 'message'],
    properties: {
      statusCode: { type: 'integer', example: 400 },
      error: { type: 'string', example: 'Bad Request' },
      message: { type: 'string', example: 'invalid monitor' },
      issues: {
        type: 'array',
        description: 'Every field at fault (validation errors only).',
        items: {
          type: 'object',
          required: ['path', 'message'],
          properties: { path: { type: 'string', example: 'expect.json.0.path' }, message: { type: 'string' } },
        },
      },
      errorId: { type: 'string', description: 'On 500: the id under which the error was logged.' },
      currentRevision: { type: 'integer', description: 'On 412 (a stale If-Match): the revision the resource is at now.' },
    },
  };

  const monitorEnvelope: SchemaObject = {
    type: 'object',
    required: ['name', 'regions', 'intervalSeconds'],
    properties: {
      key: {
        type: 'string',
        pattern: RESOURCE_KEY_PATTERN.source,
        example: 'checkout-api',
        description:
          'Your stable name for the monitor (configuration files address it by this): unique among monitors, chosen on create and never changed (renaming is delete + create). Optional; one shaped like a resource id (`mon_...`, `wh_...`) is refused.',
      },
      name: { type: 'string', minLength: 1, maxLength: MAX_MONITOR_NAME_LENGTH, example: 'Checkout API' },
      regions: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_REGIONS_PER_MONITOR,
        uniqueItems: true,
        items: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,31}$' },
        example: ['eu-west', 'us-east'],
      },
      intervalSeconds: { type: 'integer', minimum: minIntervalSeconds, maximum: 86_400, example: 60 },
      reconcile: policy(
        reconcilePolicySchema,
        'How a round is reconciled: `quorum` (share of the regions that must answer, else `unknown`), `minRegions` ' +
          '(floor on answers needed), `outageQuorum` (an `outage` needs more than this share of the answering regions down). ' +
          'Left out: the defaults shown.',
      ),
      incidents: policy(
        incidentPolicySchema,
        'How incidents are confirmed: `openAfter` (N consecutive unhealthy rounds to open), `resolveAfter` (M healthy rounds ' +
          'to resolve), `updateAfter` and `blindAfter` (default: openAfter), `openOnDegraded`. Left out: the defaults shown.',
      ),
    },
  };

  const classification: SchemaObject = { type: 'string', enum: [...CLASSIFICATIONS] };
  const incidentClassification: SchemaObject = { type: 'string', enum: CLASSIFICATIONS.filter((c) => c !== 'operational' && c !== 'unknown') };
  const regionDigest: SchemaObject = {
    type: 'object',
    description: "One region of a round: its verdict, causes and key evidence; `affected` when the round's classification is about it.",
    properties: {
      status: { type: 'string', enum: ['up', 'degraded', 'down', 'missing'] },
      affected: { type: 'boolean' },
      reading: { type: 'string', enum: ['missing', 'refused', 'down_behind_cache', 'down_direct', 'cached_unverified', 'fresh'] },
      causes: {
        type: 'array',
        items: {
          type: 'object',
          properties: { code: { type: 'string', enum: [...CAUSE_CODES] }, severity: { type: 'string', enum: ['down', 'degraded', 'info'] }, message: { type: 'string' } },
        },
      },
      evidence: {
        type: 'object',
        properties: {
          httpStatus: nullable({ type: 'integer' }),
          cache: {
            type: 'object',
            properties: { hit: nullable({ type: 'boolean' }), ageSeconds: nullable({ type: 'number' }), signals: { type: 'array', items: { type: 'string' } } },
          },
          bypassStatus: nullable({ type: 'integer' }),
          bypassError: nullable({ type: 'string' }),
          errorPageVendor: nullable({ type: 'string', example: 'nginx', description: "Vendor of a proxy's own error page users got." }),
          bypassErrorPageVendor: nullable({ type: 'string', description: 'Vendor of the error page the cache-bypassing request got behind a cache.' }),
          probeError: nullable({ type: 'string' }),
          totalMs: nullable({ type: 'number' }),
          finalUrl: nullable({ type: 'string' }),
        },
      },
      note: nullable({ type: 'string', description: 'Why a region is blind, when known.' }),
    },
  };
  const incident: SchemaObject = {
    type: 'object',
    required: ['id', 'monitorId', 'state', 'classification', 'severity', 'affectedRegions', 'startedAt', 'openedAt', 'updatedAt', 'resolvedAt', 'reason', 'url'],
    properties: {
      id: { type: 'string', example: 'inc_mon_2b4kq7xa3dhv6mnpz2re_1795598126000' },
      monitorId: { type: 'string' },
      monitor: { type: 'object', description: 'As at the latest transition.', properties: { id: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' } } },
      state: { type: 'string', enum: ['open', 'resolved'] },
      classification: incidentClassification,
      severity: { type: 'string', enum: ['critical', 'major', 'minor'] },
      affectedRegions: { type: 'array', items: { type: 'string' } },
      startedAt: { ...isoTime, description: 'First round of the streak that opened it.' },
      openedAt: { ...isoTime, description: 'The round that confirmed it.' },
      openedRoundId: { type: 'string' },
      updatedAt: { ...isoTime, description: 'The round of the latest transition.' },
      resolvedAt: nullable(isoTime),
      resolvedRoundId: nullable({ type: 'string' }),
      reason: { type: 'string' },
      url: { type: 'string', example: '/v1/incidents/inc_mon_2b4kq7xa3dhv6mnpz2re_1795598126000' },
      acknowledgedAt: nullable({ ...isoTime, description: 'When it was first acknowledged (POST /v1/incidents/{id}/acknowledge).' }),
      acknowledgedBy: nullable({ type: 'string', description: 'Who acknowledged it, as they said (`by`).' }),
    },
  };

  const cause: SchemaObject = {
    type: 'object',
    properties: {
      code: { type: 'string', enum: [...CAUSE_CODES] },
      severity: { type: 'string', enum: ['down', 'degraded', 'info'] },
      message: { type: 'string' },
      evidence: { type: 'object', additionalProperties: true },
    },
  };

  const keyEvidence: SchemaObject = {
    type: 'object',
    nullable: true,
    properties: {
      httpStatus: nullable({ type: 'integer' }),
      finalUrl: { type: 'string' },
      totalMs: { type: 'number' },
      redirects: { type: 'integer' },
      cache: {
        type: 'object',
        properties: { hit: { type: 'boolean' }, ageSeconds: { type: 'number' }, signals: { type: 'array', items: { type: 'string' } } },
      },
      bypassStatus: nullable({ type: 'integer' }),
      errorPageVendor: { type: 'string' },
      probeError: { type: 'string' },
    },
  };

  const regionReport: SchemaObject = {
    type: 'object',
    required: ['status', 'causes', 'evidence', 'agentId', 'checkedAt'],
    properties: {
      status: { type: 'string', enum: ['up', 'degraded', 'down', 'missing'] },
      causes: { type: 'array', items: { $ref: '#/components/schemas/Cause' } },
      evidence: { $ref: '#/components/schemas/KeyEvidence' },
      agentId: nullable({ type: 'string' }),
      agentVersion: nullable({ type: 'string' }),
      checkedAt: nullable(isoTime),
      reason: { type: 'string', description: 'Why the region is missing (never `down`): e.g. no live agent.' },
      truncated: {
        type: 'boolean',
        enum: [true],
        description: 'The result was over 16 KiB as stored and was cut harder: shorter texts, fewer expectations, one cause per code and severity.',
      },
    },
  };

  const expectationResult: SchemaObject = {
    type: 'object',
    required: ['kind', 'passed', 'description', 'expected', 'actual'],
    properties: {
      kind: { type: 'string', example: 'json' },
      passed: { type: 'boolean', nullable: true, description: 'Always false in stored results: only failed expectations are kept.' },
      description: { type: 'string', maxLength: 256, example: '[json] $.status equals "ok": FAILED, saw "degraded"' },
      expected: { type: 'string', maxLength: 256 },
      actual: nullable({ type: 'string', maxLength: 256 }),
    },
  };

  return {
    Problem: problem,
    MonitorSpec: monitorSpec,
    MonitorInput: {
      description: 'A monitor as written: name, regions and interval, plus every field of the monitor spec at the top level.',
      allOf: [monitorEnvelope, { $ref: '#/components/schemas/MonitorSpec' }],
    } satisfies SchemaObject,
    MonitorPatch: {
      description: 'A JSON Merge Patch (RFC 7396) of MonitorInput: `null` removes a field (its default applies again); arrays replace.',
      type: 'object',
      additionalProperties: true,
      example: { intervalSeconds: 30, expect: { status: [200] } },
    } satisfies SchemaObject,
    Monitor: {
      type: 'object',
      required: ['id', 'key', 'name', 'regions', 'intervalSeconds', 'reconcile', 'incidents', 'spec', 'createdAt', 'updatedAt', 'revision'],
      properties: {
        id: { type: 'string', pattern: '^mon_[a-z2-7]{20}$', example: 'mon_2b4kq7xa3dhv6mnpz2re' },
        ...monitorEnvelope.properties,
        key: { type: 'string', example: 'checkout-api', description: 'The key it was created with; its id when it has none.' },
        spec: { $ref: '#/components/schemas/MonitorSpec' },
        createdAt: isoTime,
        updatedAt: isoTime,
        revision: { type: 'integer', minimum: 1, example: 3, description: '1 on create, +1 per stored change; the `ETag` (`"3"`) to send back as `If-Match`.' },
      },
    } satisfies SchemaObject,
    DocumentChange: {
      type: 'object',
      description: 'One leaf that a write changes. `before` is absent for an added field, `after` for a removed one.',
      required: ['path'],
      properties: {
        path: { type: 'string', example: 'spec.expect.json.0.value', description: 'Dotted path in the resource as shown; array elements by index.' },
        before: { description: 'The stored value (`[redacted]` for a secret).', example: 60 },
        after: { description: 'The value it would have (`[redacted]` for a secret).', example: 30 },
        secret: { type: 'boolean', enum: [true], description: 'A secret changes (compared on the real values); its values are never shown.' },
      },
    } satisfies SchemaObject,
    MonitorDryRun: {
      type: 'object',
      description: 'What a write with `?dryRun=true` would do: validated in full, nothing stored, nothing scheduled.',
      required: ['dryRun', 'changes', 'result'],
      properties: {
        dryRun: { type: 'boolean', enum: [true] },
        changes: { type: 'array', items: { $ref: '#/components/schemas/DocumentChange' }, description: 'On create, every field.' },
        result: { $ref: '#/components/schemas/Monitor' },
      },
    } satisfies SchemaObject,
    MonitorPage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: { $ref: '#/components/schemas/Monitor' } },
        nextCursor: nullable({ type: 'string', description: 'Pass as `cursor` for the next page; null on the last page.' }),
      },
    } satisfies SchemaObject,
    Cause: cause,
    KeyEvidence: keyEvidence,
    RegionReport: regionReport,
    ExpectationResult: expectationResult,
    RegionDigest: regionDigest,
    ClassificationSummary: {
      type: 'object',
      description: "What reconciling the monitor's latest applied round concluded.",
      required: ['classification', 'affectedRegions', 'blindRegions', 'reason', 'decidedBy', 'roundId', 'scheduledAt'],
      properties: {
        classification,
        affectedRegions: { type: 'array', items: { type: 'string' } },
        blindRegions: { type: 'array', items: { type: 'string' }, description: 'Regions that gave no usable answer.' },
        reason: { type: 'string', example: 'outage: down in 2 of 2 answering regions (lb_error_page nginx)' },
        decidedBy: { type: 'array', items: { type: 'string' }, example: ['outage_quorum', 'lb_error_page'] },
        roundId: { type: 'string' },
        scheduledAt: isoTime,
      },
    } satisfies SchemaObject,
    Incident: incident,
    IncidentPage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: { $ref: '#/components/schemas/Incident' } },
        nextCursor: nullable({ type: 'string', description: 'Pass as `cursor` for older incidents; null on the last page.' }),
      },
    } satisfies SchemaObject,
    TimelineEntry: {
      type: 'object',
      description: 'One transition of an incident, with its round and every region of that round.',
      properties: {
        eventId: { type: 'string', description: 'The `webhook-id` of the event this transition sent.' },
        type: { type: 'string', enum: ['incident.opened', 'incident.updated', 'incident.resolved'] },
        at: isoTime,
        roundId: { type: 'string' },
        classification: { ...classification, description: 'What the round was classified as.' },
        incidentClassification: {
          type: 'object',
          properties: { before: nullable(incidentClassification), after: nullable(incidentClassification) },
        },
        affectedRegions: { type: 'array', items: { type: 'string' } },
        blindRegions: { type: 'array', items: { type: 'string' } },
        reason: { type: 'string' },
        regions: { type: 'object', additionalProperties: { $ref: '#/components/schemas/RegionDigest' } },
      },
    } satisfies SchemaObject,
    AcknowledgementEntry: {
      type: 'object',
      description: 'The timeline entry of an acknowledgement.',
      required: ['type', 'at', 'by'],
      properties: { type: { type: 'string', enum: ['acknowledged'] }, at: isoTime, by: nullable({ type: 'string' }) },
    } satisfies SchemaObject,
    IncidentAcknowledgementInput: {
      type: 'object',
      additionalProperties: false,
      properties: { by: { type: 'string', minLength: 1, maxLength: MAX_ACKNOWLEDGED_BY_LENGTH, example: 'alice (on call)' } },
    } satisfies SchemaObject,
    IncidentDetail: {
      allOf: [
        { $ref: '#/components/schemas/Incident' },
        {
          type: 'object',
          properties: {
            timeline: {
              type: 'array',
              items: { oneOf: [{ $ref: '#/components/schemas/TimelineEntry' }, { $ref: '#/components/schemas/AcknowledgementEntry' }] },
            },
          },
        },
      ],
    } satisfies SchemaObject,
    IncidentEvent: {
      type: 'object',
      description:
        'The body of an incident or region webhook (Standard Webhooks: the `webhook-id` header carries the event id). ' +
        '`incident` is null for a region event when no incident is open.',
      properties: {
        type: { type: 'string', enum: [...INCIDENT_EVENT_TYPES] },
        timestamp: { ...isoTime, description: "The round's scheduled time." },
        data: {
          type: 'object',
          properties: {
            incident: {
              type: 'object',
              nullable: true,
              properties: {
                id: { type: 'string' },
                state: { type: 'string', enum: ['open', 'resolved'] },
                classification: incidentClassification,
                severity: { type: 'string', enum: ['critical', 'major', 'minor'] },
                affectedRegions: { type: 'array', items: { type: 'string' } },
                startedAt: isoTime,
                openedAt: isoTime,
                resolvedAt: nullable(isoTime),
                url: { type: 'string' },
              },
            },
            monitor: {
              type: 'object',
              properties: { id: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' }, regions: { type: 'array', items: { type: 'string' } } },
            },
            classification: {
              type: 'object',
              properties: { before: nullable(incidentClassification), after: nullable(incidentClassification), round: classification },
            },
            round: { type: 'object', properties: { roundId: { type: 'string' }, scheduledAt: isoTime } },
            reason: { type: 'string' },
            region: { type: 'string', description: 'The region of a `region.*` event.' },
            affectedRegions: { type: 'array', items: { type: 'string' } },
            blindRegions: { type: 'array', items: { type: 'string' } },
            regions: { type: 'object', additionalProperties: { $ref: '#/components/schemas/RegionDigest' } },
          },
        },
      },
    } satisfies SchemaObject,
    MonitorStatus: {
      type: 'object',
      required: ['monitorId', 'round', 'regions', 'classification', 'incident'],
      properties: {
        monitorId: { type: 'string' },
        round: {
          type: 'object',
          nullable: true,
          description: 'The latest finalized round; null before the first round is finalized.',
          properties: {
            roundId: { type: 'string' },
            scheduledAt: isoTime,
            deadline: isoTime,
            finalizedAt: isoTime,
            finalizedBy: { type: 'string', enum: ['all_answered', 'deadline'] },
            complete: { type: 'boolean', description: 'Every expected region answered.' },
          },
        },
        regions: {
          type: 'object',
          description: "Every region the monitor checks from, by name. Regions absent from the latest round are 'missing' with a reason.",
          additionalProperties: { $ref: '#/components/schemas/RegionReport' },
        },
        classification: {
          allOf: [{ $ref: '#/components/schemas/ClassificationSummary' }],
          nullable: true,
          description: 'The latest applied round, reconciled; null before the first.',
        },
        incident: { allOf: [{ $ref: '#/components/schemas/Incident' }], nullable: true, description: 'The open incident; null when none is open.' },
      },
    } satisfies SchemaObject,
    ResultPage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: {
          type: 'array',
          items: {
            allOf: [
              { $ref: '#/components/schemas/RegionReport' },
              {
                type: 'object',
                properties: {
                  roundId: { type: 'string' },
                  region: { type: 'string' },
                  scheduledAt: isoTime,
                  startedAt: nullable(isoTime),
                  recordedAt: isoTime,
                  late: { type: 'boolean', description: 'Arrived after its round was finalized (counted missing there).' },
                  expectations: {
                    type: 'array',
                    description: 'The FAILED expectations of the verdict, texts cut to 256 characters (the others are counted in expectationCounts).',
                    items: { $ref: '#/components/schemas/ExpectationResult' },
                  },
                  expectationCounts: {
                    type: 'object',
                    required: ['passed', 'failed', 'notEvaluated'],
                    properties: { passed: { type: 'integer' }, failed: { type: 'integer' }, notEvaluated: { type: 'integer' } },
                  },
                  droppedCauses: { type: 'integer', description: 'Causes dropped by a hard cut (each code and severity keeps its first).' },
                  observation: { type: 'object', additionalProperties: true },
                  compact: {
                    type: 'boolean',
                    enum: [true],
                    description:
                      "An `up` result with the same status and cause codes as its region's previous one, stored compact: key evidence without cache signals, causes with code and severity only, no expectations (counted) and no observation. The region's latest full entry has the rest.",
                  },
                },
              },
            ],
          },
        },
        nextCursor: nullable({ type: 'string', description: 'Pass as `cursor` for older entries.' }),
      },
    } satisfies SchemaObject,
    Agents: {
      type: 'object',
      required: ['agents', 'regions'],
      properties: {
        agents: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              region: { type: 'string' },
              agentId: { type: 'string' },
              version: nullable({ type: 'string' }),
              host: nullable({ type: 'string' }),
              pid: nullable({ type: 'integer' }),
              startedAt: nullable(isoTime),
              lastHeartbeat: isoTime,
              inFlight: nullable({ type: 'integer' }),
              concurrency: nullable({ type: 'integer' }),
              memoryBudgetBytes: nullable({ type: 'integer' }),
              memoryReservedBytes: nullable({ type: 'integer' }),
              waitingForMemory: nullable({ type: 'integer' }),
              live: { type: 'boolean' },
            },
          },
        },
        regions: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: { liveAgents: { type: 'integer' }, blind: { type: 'boolean' } },
          },
        },
      },
    } satisfies SchemaObject,
    Stats: {
      type: 'object',
      properties: {
        rounds: {
          type: 'object',
          properties: {
            started: { type: 'integer' },
            skippedLate: { type: 'integer' },
            skippedDeleted: { type: 'integer' },
            startLagMs: { type: 'object', additionalProperties: true },
          },
        },
        uptimeSeconds: { type: 'number' },
      },
    } satisfies SchemaObject,
    Health: {
      type: 'object',
      description: 'Without a token only `status`; with a token of any scope every field.',
      required: ['status'],
      properties: {
        status: { type: 'string', enum: ['ok', 'degraded'] },
        reasons: { type: 'array', items: { type: 'string' } },
        redis: {
          type: 'object',
          properties: { ok: { type: 'boolean' }, latencyMs: nullable({ type: 'number' }), maxmemoryPolicy: nullable({ type: 'string' }) },
        },
        queues: { type: 'object', nullable: true, additionalProperties: true },
        workers: { type: 'object', nullable: true, additionalProperties: { type: 'boolean' } },
        agents: { type: 'object', nullable: true, properties: { blindRegions: { type: 'array', items: { type: 'string' } } } },
      },
    } satisfies SchemaObject,
  };
}
