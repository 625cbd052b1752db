/**
 * The moment a job scheduler's job was scheduled for, read from its id.
 *
 * BullMQ names each job a scheduler produces `repeat:<schedulerId>:<millis>`, where `millis` is the
 * iteration's slot, computed inside Redis from the scheduler's previous slot (`prev + every`, or the
 * next aligned slot after a gap). It is neither the time a coordinator ran nor `timestamp + delay`
 * (the delay is clamped at 0 when late), so every coordinator, and every retry of the job, reads the
 * same value: rounds derived from it cannot double.
 *
 * Returns `null` when the id is not of that shape (a job not made by a scheduler).
 */
export function scheduledAtOf(job: { id?: string | undefined; repeatJobKey?: string | undefined }): number | null {
  if (job.id === undefined || job.repeatJobKey === undefined) return null;
  const prefix = `repeat:${job.repeatJobKey}:`;
  if (!job.id.startsWith(prefix)) return null;
  const millis = job.id.slice(prefix.length);
  if (!/^\d{1,16}$/.test(millis)) return null;
  const value = Number(millis);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}
