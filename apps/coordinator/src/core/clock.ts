/**
 * The time source of everything that derives or compares times (deadlines, lag, heartbeats), so
 * tests can hand in their own rather than patching `Date`.
 */
export abstract class Clock {
  /** Epoch milliseconds. */
  abstract now(): number;
}

