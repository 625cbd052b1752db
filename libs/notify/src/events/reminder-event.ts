import type { IncidentEventData } from '@crosscheck/contract';

/**
 * `incident.reminder`: an open incident nobody acknowledged is still going on (issue 12, item 4).
 * Minimal on purpose: the incident's latest transition as its event carried it, plus which reminder
 * this is. An escalation is a reminder sent to the next channel; the channel, not the words, differs.
 */
export interface IncidentReminderEvent {
  type: 'incident.reminder';
  /** When the reminder is due (ISO 8601); the renderer counts how long the incident has lasted up to it. */
  timestamp: string;
  data: IncidentEventData & {
    reminder: {
      /** 1 for the first reminder of the incident, 2 for the next, ... */
      sequence: number;
      /** This reminder goes to an escalation step's channels. */
      escalation: boolean;
    };
  };
}
