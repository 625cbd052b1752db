import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-connections';

/**
 * A Lua script run by SHA (EVALSHA), loaded again with EVAL when Redis has forgotten it (after a
 * restart or SCRIPT FLUSH). Scripts run atomically: that is what makes round creation, result
 * storage and finalization happen once even with several coordinators.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(
    readonly name: string,
    private readonly numberOfKeys: number,
    private readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script with `keys` (exactly `numberOfKeys`) and `args`. */
  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    if (keys.length !== this.numberOfKeys) {
      throw new Error(`script ${this.name} takes ${this.numberOfKeys} keys, got ${keys.length}`);
    }
    try {
      return await redis.evalsha(this.sha, this.numberOfKeys, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, this.numberOfKeys, ...keys, ...args);
    }
  }
}
