import { Inject, Injectable } from '@nestjs/common';
import { redactDeep } from '@crosscheck/checks';
import { notFound } from '../http/problem';
import type { IncidentDetail, IncidentPage, IncidentState } from './incident-record';
import { IncidentsRepository, type IndexPosition } from './incidents.repository';

/** `inc_<monitor id>_<epoch ms>`: anything else cannot name an incident (404). */
export const INCIDENT_ID_PATTERN = /^inc_mon_[a-z2-7]{20}_\d{1,16}$/;
/** `<openedAt ms>:<incident id>`: where the previous page stopped. */
export const INCIDENT_CURSOR_PATTERN = /^(\d{1,16}):(inc_mon_[a-z2-7]{20}_\d{1,16})$/;

/** Filters of `GET /v1/incidents`, parsed. */
export interface IncidentListQuery {
  monitorId?: string;
  state?: IncidentState;
  since?: number;
  until?: number;
  limit: number;
  cursor?: string;
}

/**
 * Reads incidents for the API. Records are redacted when written (`transition-plan.ts`); they are
 * redacted again when read, for those written before secrets were redacted.
 */
@Injectable()
export class IncidentsService {
  constructor(@Inject(IncidentsRepository) private readonly incidents: IncidentsRepository) {}

  async list(query: IncidentListQuery): Promise<IncidentPage> {
    const page = await this.incidents.list({
      limit: query.limit,
      ...(query.monitorId !== undefined ? { monitorId: query.monitorId } : {}),
      ...(query.state !== undefined ? { state: query.state } : {}),
      ...(query.since !== undefined ? { since: query.since } : {}),
      ...(query.until !== undefined ? { until: query.until } : {}),
      ...(query.cursor !== undefined ? { after: positionOf(query.cursor) } : {}),
    });
    return { items: redactDeep(page.items), nextCursor: page.next ? `${page.next.score}:${page.next.id}` : null };
  }

  async get(incidentId: string): Promise<IncidentDetail> {
    const record = INCIDENT_ID_PATTERN.test(incidentId) ? await this.incidents.get(incidentId) : null;
    if (!record) throw notFound(`incident ${incidentId} not found`);
    return redactDeep({ ...record, timeline: await this.incidents.timeline(incidentId) });
  }
}

function positionOf(cursor: string): IndexPosition {
  const match = INCIDENT_CURSOR_PATTERN.exec(cursor);
  // The query schema checked the shape already.
  if (!match) throw new Error(`not an incident cursor: ${cursor}`);
  return { score: Number(match[1]), id: match[2]! };
}
