/**
 * `maintenance.started` and `maintenance.ended`: a maintenance window began or ended (issue 12,
 * item 3). Minimal on purpose: the window and the monitors it covers. During a window rounds run but
 * nothing pages; the words only tell people that, and when it ends.
 */
export interface MaintenanceEvent {
  type: 'maintenance.started' | 'maintenance.ended';
  /** When it started or ended (ISO 8601). */
  timestamp: string;
  data: {
    maintenance: {
      id: string;
      /** Why, as the operator wrote it. */
      reason: string;
      startsAt: string;
      /** `null`: open-ended until someone ends it. */
      endsAt: string | null;
    };
    /** The monitors the window covers (URL userinfo redacted, as in every event). */
    monitors: Array<{ id: string; name: string; url: string }>;
  };
}
