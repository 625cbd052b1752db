import type { Classification, RegionStatus } from '../api/api-types';
import { classificationWords } from '../words/classification-words';
import { STATUS_WORDS } from '../words/status-words';
import type { Tone } from '../words/tones';

/** A state as icon, word and tone together: colour is never the only signal. */
export function Badge({ tone, icon, label, large = false }: { tone: Tone; icon: string; label: string; large?: boolean }) {
  return (
    <span class={`badge tone-${tone}${large ? ' badge-large' : ''}`}>
      <span class="badge-icon" aria-hidden="true">
        {icon}
      </span>
      {label}
    </span>
  );
}

/** A monitor's classification. */
export function ClassificationBadge({ classification, large = false }: { classification: Classification | null | undefined; large?: boolean }) {
  const words = classificationWords(classification);
  return <Badge tone={words.tone} icon={words.icon} label={words.label} large={large} />;
}

/** A region's verdict. */
export function StatusBadge({ status }: { status: RegionStatus }) {
  const words = STATUS_WORDS[status];
  return <Badge tone={words.tone} icon={words.icon} label={words.label} />;
}

const SEVERITY_TONE: Readonly<Record<string, Tone>> = { critical: 'bad', major: 'bad', minor: 'warn', down: 'bad', degraded: 'warn', info: 'neutral' };

/** An incident's severity, or a cause's (`down`, `degraded`, `info`). */
export function SeverityBadge({ severity }: { severity: string }) {
  const tone = SEVERITY_TONE[severity] ?? 'neutral';
  return <Badge tone={tone} icon={tone === 'bad' ? '✕' : tone === 'warn' ? '!' : 'i'} label={severity} />;
}
