import { Inject, Injectable } from '@nestjs/common';
import { redactDeep } from '@crosscheck/checks';
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import { parseBody } from '../http/parse-body';
import { conflict, notFound } from '../http/problem';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { acknowledgementInputSchema } from './acknowledgement-input';
import { presentIncident, type IncidentDetail, type IncidentPage, type IncidentState } from './incident-record';
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
 * Reads incidents for the API, and acknowledges them. Records are redacted when written
 * (`transition-plan.ts`); they are redacted again when read, for those written before secrets were
 * redacted.
 */
@Injectable()
export class IncidentsService {
  private readonly logger: Logger;

  constructor(
    @Inject(IncidentsRepository) private readonly incidents: IncidentsRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'incidents' });
  }

  async list(query: IncidentListQuery): Promise<IncidentPage> {
    const page = await this.incidents.list({
      limit: query.limit,
      ...(query.monitorId !== undefined ? { monitorId: query.monitorId } : {}),
      ...(query.state !== undefined ? { state: query.state } : {}),
      ...(query.since !== undefined ? { since: query.since } : {}),
      ...(query.until !== undefined ? { until: query.until } : {}),
      ...(query.cursor !== undefined ? { after: positionOf(query.cursor) } : {}),
    });
    return { items: redactDeep(page.items.map(presentIncident)), nextCursor: page.next ? `${page.next.score}:${page.next.id}` : null };
  }

  async get(incidentId: string): Promise<IncidentDetail> {
    const record = INCIDENT_ID_PATTERN.test(incidentId) ? await this.incidents.get(incidentId) : null;
    if (!record) throw notFound(`incident ${incidentId} not found`);
    return redactDeep({ ...presentIncident(record), timeline: await this.incidents.timeline(incidentId) });
  }

  /**
   * Acknowledges an open incident (`{"by"?}`): someone is on it. Acknowledging again keeps the
   * first acknowledgement; a resolved incident is a 409. Answers the incident.
   */
  async acknowledge(incidentId: string, body: unknown): Promise<IncidentDetail> {
    const { by } = parseBody(acknowledgementInputSchema, body ?? {}, 'invalid acknowledgement');
    const outcome = INCIDENT_ID_PATTERN.test(incidentId)
      ? await this.incidents.acknowledge(incidentId, new Date(this.clock.now()).toISOString(), by ?? null)
      : 'missing';
    if (outcome === 'missing') throw notFound(`incident ${incidentId} not found`);
    if (outcome === 'resolved') throw conflict(`incident ${incidentId} is resolved: there is nothing left to acknowledge`);
    if (outcome === 'acknowledged') this.logger.info({ incidentId, by }, 'incident acknowledged');
    return this.get(incidentId);
  }
}

function positionOf(cursor: string): IndexPosition {
  const match = INCIDENT_CURSOR_PATTERN.exec(cursor);
  // The query schema checked the shape already.
  if (!match) throw new Error(`not an incident cursor: ${cursor}`);
  return { score: Number(match[1]), id: match[2]! };
}
