/**
 * ioredis connection for the coordinator's own commands (API reads and writes, Lua scripts).
 * Fails fast while Redis is away, so HTTP requests answer 503 instead of hanging.
 */
export const REDIS_COMMANDS = Symbol('REDIS_COMMANDS');

/**
 * ioredis connection shared by BullMQ queues and workers (which duplicate it for blocking reads).
 * Retries every command forever, as BullMQ workers require.
 */
export const REDIS_QUEUE_CONNECTION = Symbol('REDIS_QUEUE_CONNECTION');
