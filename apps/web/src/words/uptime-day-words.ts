import type { Classification, SeriesPoint } from '../api/api-types';
import { classificationWords } from './classification-words';
import { formatPercent, formatSeconds } from './format';

/** How a day's bar is drawn: the tone (colour) and a mark for those who do not see colours. */
export type DayTone = 'ok' | 'warn' | 'bad' | 'none';

/** One day of the uptime bars, in words and marks. */
export interface UptimeDayWords {
  /** The bar's text alternative: date, uptime, the worst classification in words, incident time, rounds left out. */
  text: string;
  tone: DayTone;
  /** The worst classification's icon when it was not operational, else empty. */
  mark: string;
}

const QUIET: readonly Classification[] = ['operational', 'unknown'];

/**
 * A day's words. The tone follows the day's uptime, but a day with any down round is never green:
 * a short outage today must show on today's bar even while the day's ratio is still above 99.9 %.
 */
export function uptimeDayWords(point: SeriesPoint, today: boolean): UptimeDayWords {
  const date = `${point.at.slice(0, 10)}${today ? ' (today)' : ''}`;
  const parts: string[] = [];
  if (point.uptimeRatio === null) {
    parts.push(point.excluded > 0 ? `no round counted (${point.excluded} not decided)` : 'no rounds');
  } else {
    parts.push(`${formatPercent(point.uptimeRatio)} up (${point.up} of ${point.up + point.down} rounds)`);
    if (point.worst !== null) parts.push(QUIET.includes(point.worst) ? 'no outage' : `worst: ${classificationWords(point.worst).label.toLowerCase()}`);
    if (point.incidentMinutes > 0) parts.push(`incident open ${formatSeconds(point.incidentMinutes * 60)}`);
    if (point.excluded > 0) parts.push(`${point.excluded} round${point.excluded === 1 ? '' : 's'} not counted`);
  }
  const ratio = point.uptimeRatio;
  const tone: DayTone = ratio === null ? 'none' : ratio < 0.99 ? 'bad' : ratio < 0.999 || point.down > 0 ? 'warn' : 'ok';
  const mark = point.worst !== null && !QUIET.includes(point.worst) ? classificationWords(point.worst).icon : '';
  return { text: `${date}: ${parts.join('; ')}`, tone, mark };
}
