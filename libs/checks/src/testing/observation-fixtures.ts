/**
 * Builders for observations and evaluation contexts in unit tests: a test names only what
 * matters to it (status, headers, body) and gets a complete, realistic observation.
 */
import type { Observation, RequestOutcome, ResponseFacts } from '../observation/observation';
import { compileMonitorSpec, type CompiledSpec } from '../spec/compile-monitor-spec';
import type { MonitorSpecInput } from '../spec/monitor-spec.schema';
import { createEvaluationContext, type EvaluationContext } from '../evaluate/evaluation-context';

/** A fixed probe clock for tests: 2026-11-01T12:00:00Z. */
export const TEST_NOW = Date.UTC(2026, 10, 1, 12, 0, 0);

export interface ResponseInput {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  bodyTruncated?: boolean;
}

export function responseOf(input: ResponseInput = {}): ResponseFacts {
  const body = input.body ?? '';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    status: input.status ?? 200,
    headers,
    body,
    bodyBytes: Buffer.byteLength(body),
    bodyTruncated: input.bodyTruncated ?? false,
    httpVersion: '1.1',
  };
}

export interface ObservationInput extends ResponseInput {
  url?: string;
  method?: string;
  totalMs?: number;
  startedAt?: number;
  /** Replace the response entirely, e.g. `undefined` together with `error`. */
  outcome?: Partial<RequestOutcome>;
  bypass?: RequestOutcome;
}

export function observationOf(input: ObservationInput = {}): Observation {
  const url = input.url ?? 'https://status.example.com/health';
  return {
    url,
    method: input.method ?? 'GET',
    finalUrl: url,
    redirects: [],
    remoteAddress: '127.0.0.2',
    response: responseOf(input),
    timings: { dns: 1, connect: 1, tls: 3, firstByte: 20, total: input.totalMs ?? 40 },
    startedAt: input.startedAt ?? TEST_NOW,
    bodyCapBytes: 1024 * 1024,
    ...(input.bypass ? { bypass: input.bypass } : {}),
    ...input.outcome,
  };
}

/** A bypass outcome with the given response (or error via `outcome`). */
export function bypassOf(input: ObservationInput = {}): RequestOutcome {
  const { startedAt: _startedAt, bodyCapBytes: _cap, bypass: _bypass, ...outcome } = observationOf(input);
  return outcome;
}

export function specOf(input: Partial<MonitorSpecInput> = {}): CompiledSpec {
  return compileMonitorSpec({ url: 'https://status.example.com/health', ...input });
}

/** The context a detector reads, for an observation that has a response. */
export function contextOf(input: ObservationInput = {}, spec: Partial<MonitorSpecInput> = {}): EvaluationContext {
  const observation = observationOf(input);
  if (!observation.response) throw new Error('contextOf needs an observation with a response');
  return createEvaluationContext(specOf({ url: observation.url, ...spec }), observation, observation.response);
}
