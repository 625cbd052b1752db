import type { RE2JS } from 're2js';
import type { JsonPath } from '../json/json-path';
import type { HeaderOperator, JsonOperator } from './monitor-spec.schema';
import type { StatusRange } from './status-range';

/**
 * One expectation of a monitor, parsed once from the spec so evaluation does no parsing:
 * regular expressions compiled (RE2, linear time), JSON paths split, status lists as ranges.
 * Body expressions are also in the spec's `bodyPatterns` set, at `setIndex`: evaluation matches
 * them all in one pass and uses `pattern` only to show what a failing `notMatches` matched.
 */
export type Expectation =
  | { kind: 'status'; ranges: StatusRange[]; explicit: boolean }
  | { kind: 'body.contains'; text: string }
  | { kind: 'body.notContains'; text: string }
  | { kind: 'body.matches'; pattern: RE2JS; source: string; setIndex: number }
  | { kind: 'body.notMatches'; pattern: RE2JS; source: string; setIndex: number }
  | { kind: 'json'; path: JsonPath; op: JsonOperator; value: unknown; pattern?: RE2JS }
  | { kind: 'header'; name: string; op: HeaderOperator; value?: string; pattern?: RE2JS }
  | { kind: 'latency'; degradedMs: number; downMs?: number };

export type ExpectationKind = Expectation['kind'];
