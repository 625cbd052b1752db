/**
 * Whether an error means Redis is out of reach (the client gave up on a command, the connection is
 * down, a command timed out or a cluster is failing over), as opposed to a bug: those answer 503,
 * not 500.
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
    message.startsWith('OOM') ||
    // A Redis Cluster between a master's failure and its replica's promotion.
    message.startsWith('CLUSTERDOWN') ||
    message.startsWith('TRYAGAIN') ||
    message.includes('None of startup nodes is available') ||
    message.includes('Failed to refresh slots cache') ||
    message.includes('Cluster isn\'t ready')
  );
}
