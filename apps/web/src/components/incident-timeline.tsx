import type { IncidentDetailView } from '../api/api-types';
import { classificationWords } from '../words/classification-words';
import { formatTime, listWords } from '../words/format';
import { cellOfDigest } from '../words/region-digest-cell';
import { maskedOutageSummary } from '../words/region-facts';
import { ClassificationBadge } from './badges';
import { RegionsTable } from './regions-table';

type TimelineEntry = IncidentDetailView['timeline'][number];

const TRANSITION_WORDS: Readonly<Record<string, string>> = {
  'incident.opened': 'Opened',
  'incident.updated': 'Updated',
  'incident.resolved': 'Resolved',
  acknowledged: 'Acknowledged',
  'maintenance.entered': 'In maintenance',
  'maintenance.left': 'Maintenance over',
};

/** An incident's timeline, oldest first: each transition with its round's regions side by side, and the acknowledgement. */
export function IncidentTimeline({ timeline, headingLevel = 3 }: { timeline: readonly TimelineEntry[]; headingLevel?: 3 | 4 }) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <ol class="timeline">
      {timeline.map((entry, index) => (
        <li key={'eventId' in entry ? entry.eventId : `ack-${index}`} class={`timeline-entry entry-${entry.type.replace('.', '-')}`}>
          <Heading>
            {TRANSITION_WORDS[entry.type] ?? entry.type} <span class="muted">· {formatTime(entry.at)}</span>
          </Heading>
          {entry.type === 'acknowledged' ? (
            <p>Acknowledged{entry.by ? ` by ${entry.by}` : ''}.</p>
          ) : 'windowId' in entry ? (
            <p class="reason">{entry.reason}</p>
          ) : (
            <>
              <p>
                Round classified <ClassificationBadge classification={entry.classification} />
                {entry.incidentClassification.before !== entry.incidentClassification.after && (
                  <span>
                    {' '}
                    · incident {entry.incidentClassification.before ? classificationWords(entry.incidentClassification.before).label.toLowerCase() : 'none'} →{' '}
                    {entry.incidentClassification.after ? classificationWords(entry.incidentClassification.after).label.toLowerCase() : 'closed'}
                  </span>
                )}
              </p>
              <p class="reason">{entry.reason}</p>
              {entry.affectedRegions.length > 0 && <p>Affected: {listWords(entry.affectedRegions)}.</p>}
              {entry.blindRegions.length > 0 && <p>Blind: {listWords(entry.blindRegions)}.</p>}
              <TimelineRegions entry={entry} />
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

function TimelineRegions({ entry }: { entry: Extract<TimelineEntry, { regions: unknown }> }) {
  const regions = Object.fromEntries(Object.entries(entry.regions).map(([region, digest]) => [region, cellOfDigest(digest)]));
  const masked = maskedOutageSummary({ regions });
  return (
    <>
      {masked && <p class="callout tone-masked">{masked}</p>}
      <RegionsTable regions={regions} caption={`Regions of the round of ${formatTime(entry.at)}`} />
    </>
  );
}
