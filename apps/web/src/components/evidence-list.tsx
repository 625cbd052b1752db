import { evidenceLabel } from '../words/cause-words';

type EvidenceValue = string | number | boolean | null | string[] | undefined;

/** The values behind a cause (headers seen, ages, vendors, a health document's dependencies), as a list of terms. */
export function EvidenceList({ evidence }: { evidence: Readonly<Record<string, EvidenceValue>> }) {
  const entries = Object.entries(evidence).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return null;
  return (
    <dl class="evidence">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{evidenceLabel(key)}</dt>
          <dd>{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function show(value: EvidenceValue) {
  if (value === null || value === undefined) return <span class="muted">none</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    return (
      <ul class="plain">
        {value.map((item, index) => (
          <li key={index}>
            <code>{item}</code>
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return <code>{String(value)}</code>;
}
