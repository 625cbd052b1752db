/**
 * What scripts and CI steps branch on. `check` keeps its own meaning of 0/1/2 (up, degraded,
 * down); every other command: 0 ok, 1 changes pending (`plan --exit-code`), 2 failure. 64 and 70
 * follow sysexits.h.
 */
export const EXIT = {
  ok: 0,
  changesPending: 1,
  failure: 2,
  usage: 64,
  software: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
