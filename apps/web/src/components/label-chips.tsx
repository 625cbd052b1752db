/** Labels (`team=payments`) as chips, each readable on its own; `none` when there are none. */
export function LabelChips({ labels, none = 'none' }: { labels: Readonly<Record<string, string>> | null | undefined; none?: string }) {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <span class="muted">{none}</span>;
  return (
    <ul class="label-chips" aria-label="Labels">
      {entries.map(([name, value]) => (
        <li key={name} class="label-chip">
          <span class="label-name">{name}</span>
          <span aria-hidden="true">=</span>
          <span class="visually-hidden"> is </span>
          <span class="label-value">{value}</span>
        </li>
      ))}
    </ul>
  );
}
