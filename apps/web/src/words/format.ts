/** Milliseconds for people: `45 ms`, `1.2 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A span of seconds for people: `34 s`, `5 min`, `2 h 5 min`, `3 d`. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3_600) return `${Math.floor(s / 60)} min${s % 60 !== 0 && s < 600 ? ` ${s % 60} s` : ''}`;
  if (s < 86_400) {
    const minutes = Math.floor((s % 3_600) / 60);
    return `${Math.floor(s / 3_600)} h${minutes !== 0 ? ` ${minutes} min` : ''}`;
  }
  const hours = Math.floor((s % 86_400) / 3_600);
  return `${Math.floor(s / 86_400)} d${hours !== 0 ? ` ${hours} h` : ''}`;
}

/** How long ago an ISO time was, from `now` (epoch ms): `12 s ago`; `—` for none. */
export function timeAgo(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return '—';
  const seconds = (now - at) / 1_000;
  return seconds < 1 ? 'just now' : `${formatSeconds(seconds)} ago`;
}

/** An ISO time in the browser's time zone, to the second: `2026-11-25 09:15:26`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A ratio in [0, 1] as a percentage with enough digits to tell 99.9 from 100: `99.95 %`; `—` for none. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const percent = ratio * 100;
  if (percent === 100 || percent === 0) return `${percent} %`;
  const digits = percent >= 99 ? 2 : 1;
  return `${percent.toFixed(digits)} %`;
}

/** `a, b and c`. */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
