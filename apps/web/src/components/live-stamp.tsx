import { describeError } from '../api/api-error';
import { useNow } from '../live/use-now';
import { timeAgo } from '../words/format';

/**
 * When the data shown was read, and that it is read again every few seconds; says so when the last
 * read failed and the data shown is older.
 */
export function LiveStamp({ updatedAt, error, everySeconds }: { updatedAt: number | undefined; error: unknown; everySeconds: number }) {
  const now = useNow();
  const stamp = updatedAt === undefined ? 'not read yet' : `updated ${timeAgo(new Date(updatedAt).toISOString(), now)}`;
  return (
    <p class={`live-stamp${error ? ' live-stamp-stale' : ''}`}>
      {error ? <span aria-hidden="true">! </span> : <span class="live-dot" aria-hidden="true" />}
      {stamp}, refreshed every {everySeconds} s{error ? ` — the last read failed: ${describeError(error)}` : ''}
    </p>
  );
}
