/**
 * Whether an error means Redis is out of reach (the client gave up on a command, the connection is
 * down or a command timed out), as opposed to a bug: those answer 503, not 500.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'].includes(code)) return true;
  const message = error.message;
  return (
    message.includes('Connection is closed') ||
    message.includes('Command timed out') ||
    message.includes("Stream isn't writeable") ||
    message.includes('ECONNREFUSED') ||
    message.includes('ECONNRESET') ||
    message.startsWith('LOADING') ||
    message.startsWith('BUSY') ||
    message.startsWith('MISCONF') ||
    message.startsWith('OOM')
  );
}
