import type { RE2JS } from 're2js';
import type { JsonPath } from '../json/json-path';
import type { HeaderOperator, JsonOperator } from './monitor-spec.schema';
import type { StatusRange } from './status-range';

/**
 * One expectation of a monitor, parsed once from the spec so evaluation does no parsing:
 * regular expressions compiled (RE2, linear time), JSON paths split, status lists as ranges.
 */
export type Expectation =
  | { kind: 'status'; ranges: StatusRange[]; explicit: boolean }
  | { kind: 'body.contains'; text: string }
  | { kind: 'body.notContains'; text: string }
  | { kind: 'body.matches'; pattern: RE2JS; source: string }
  | { kind: 'body.notMatches'; pattern: RE2JS; source: string }
  | { kind: 'json'; path: JsonPath; op: JsonOperator; value: unknown; pattern?: RE2JS }
  | { kind: 'header'; name: string; op: HeaderOperator; value?: string; pattern?: RE2JS }
  | { kind: 'latency'; degradedMs: number; downMs?: number };

export type ExpectationKind = Expectation['kind'];
