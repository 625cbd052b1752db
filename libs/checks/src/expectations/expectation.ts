import type { BodyPatternExpectation } from './body-pattern';
import type { BodyTextExpectation } from './body-text';
import type { HeaderExpectation } from './header';
import type { JsonExpectation } from './json';
import type { LatencyExpectation } from './latency';
import type { StatusExpectation } from './status';

/**
 * One expectation of a monitor, parsed once from the spec so evaluation does no parsing:
 * regular expressions compiled (RE2, linear time), JSON paths split, status lists as ranges.
 * Each kind is one module of this folder: its type, its check and the cause of its failure.
 */
export type Expectation =
  | StatusExpectation
  | BodyTextExpectation
  | BodyPatternExpectation
  | JsonExpectation
  | HeaderExpectation
  | LatencyExpectation;

export type ExpectationKind = Expectation['kind'];
