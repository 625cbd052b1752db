import { createHash } from 'node:crypto';
import { regionAclPattern } from './key-layout';
import { regionNameSchema } from './region';

/**
 * The Redis ACL users of a deployment, as code: the one place the rules live. Tests run the real
 * agent under {@link regionAclRule}, `docker-compose.yml` loads them from the file
 * {@link aclFileOf} writes, and the README shows {@link regionAclRule}'s output.
 *
 * An agent's user is an allowlist: `-@all`, then only the commands an agent runs, every one of
 * them about keys, and the keys fenced to `cc:r:{<region>}:*`. Everything that lists, watches or
 * describes the rest of the server stays out: SCAN, KEYS, RANDOMKEY, DBSIZE, INFO, CLIENT (beyond
 * naming its own connection), MONITOR, PUBSUB and every channel, FUNCTION, SCRIPT KILL/FLUSH,
 * OBJECT, MEMORY, CONFIG, DEBUG, COMMAND. AUTH, HELLO, QUIT and RESET need no permission.
 */

/**
 * Commands BullMQ's Lua scripts run (`redis.call` inside EVALSHA): Redis applies the caller's
 * ACL rules inside scripts too. Read from `node_modules/bullmq/dist/cjs/scripts` (a spec compares
 * this list with them, so a BullMQ upgrade that needs another command fails a test, not an agent).
 * All of them take keys, so the key pattern fences them.
 */
export const BULLMQ_SCRIPT_COMMANDS: readonly string[] = [
  ...['del', 'exists', 'get', 'incr', 'persist', 'pexpire', 'pttl', 'rename', 'set', 'type'],
  ...['hdel', 'hexists', 'hget', 'hgetall', 'hincrby', 'hlen', 'hmget', 'hmset', 'hscan', 'hset'],
  ...['lindex', 'llen', 'lpop', 'lpos', 'lpush', 'lrange', 'lrem', 'lset', 'ltrim', 'rpop', 'rpoplpush', 'rpush'],
  ...['sadd', 'scard', 'sismember', 'smembers', 'srem', 'sscan'],
  ...['zadd', 'zcard', 'zcount', 'zpopmin', 'zrange', 'zrangebyscore', 'zrem', 'zremrangebyrank', 'zremrangebyscore'],
  ...['zrevrange', 'zrevrangebyscore', 'zscore'],
  ...['xadd', 'xtrim'],
];

/**
 * Commands an agent's connections send themselves, beyond the scripts' (which cover the heartbeat's
 * ZADD/HSET/PEXPIRE/ZREM/DEL and BullMQ's own HGETALL, LRANGE...): the worker's blocking fetch,
 * transactions (heartbeats), running and loading scripts (ioredis loads a pipeline's scripts with
 * SCRIPT EXISTS/LOAD), naming the connection (CLIENT SETNAME, from ioredis and BullMQ), the
 * database in `REDIS_URL` (SELECT) and PING; on a Redis Cluster, the slot table (CLUSTER SLOTS: the
 * nodes' addresses and slot ranges, nothing of the data) that ioredis reads to route commands.
 *
 * Not INFO: ioredis reads it for its ready check and BullMQ for the server version, and INFO
 * describes the whole server (every database's key count, clients, replicas, paths). The agent
 * turns both off instead (`enableReadyCheck: false`, `skipVersionCheck: true`).
 */
export const AGENT_CONNECTION_COMMANDS: readonly string[] = [
  'bzpopmin',
  ...['multi', 'exec', 'discard'],
  ...['eval', 'evalsha', 'script|load', 'script|exists'],
  ...['client|setname', 'select', 'ping'],
  'cluster|slots',
];

/** The ACL user name of a region's agents: `agent-<region>`. */
export function regionAclUser(region: string): string {
  return `agent-${regionNameSchema.parse(region)}`;
}

/** The ACL user name the coordinator connects as in the generated ACL file. */
export const COORDINATOR_ACL_USER = 'coordinator';

/**
 * The arguments of `ACL SETUSER` that create (or reset) the user of a region's agents:
 * `redis.call('ACL', 'SETUSER', ...regionAclRule('eu-west', password))`. The first argument is the
 * user name ({@link regionAclUser}); `reset` first, so applying it again replaces the old rule.
 * Keys: the region's only; channels: none (agents use no pub/sub); commands: the allowlist above.
 */
export function regionAclRule(region: string, password: string): string[] {
  return regionRule(region, `>${checkedPassword(password)}`);
}

/**
 * {@link regionAclRule} with the password given as its SHA-256 ({@link aclPasswordHash}, 64 hex
 * digits: `#<hex>`), so that whoever applies it never holds, sends or logs the password itself.
 */
export function regionAclRuleOfHash(region: string, sha256Hex: string): string[] {
  if (!/^[0-9a-f]{64}$/.test(sha256Hex)) throw new RangeError('an ACL password hash must be 64 lower-case hex digits (SHA-256)');
  return regionRule(region, `#${sha256Hex}`);
}

/** What Redis stores of an ACL password (and `ACL GETUSER` shows): its SHA-256, lower-case hex. */
export function aclPasswordHash(password: string): string {
  return sha256(password);
}

function regionRule(region: string, credential: string): string[] {
  return [
    regionAclUser(region),
    'reset',
    'on',
    credential,
    regionAclPattern(region),
    'resetchannels',
    '-@all',
    ...[...BULLMQ_SCRIPT_COMMANDS, ...AGENT_CONNECTION_COMMANDS].map((command) => `+${command}`),
  ];
}

/** `ACL SETUSER` arguments of the coordinator's user: every key, channel and command. */
export function coordinatorAclRule(password: string): string[] {
  return [COORDINATOR_ACL_USER, 'reset', 'on', `>${checkedPassword(password)}`, '~*', '&*', '+@all'];
}

/**
 * `ACL SETUSER` arguments that switch the unauthenticated default user off. Off, nobody can
 * authenticate as it, so its rights give no one anything; but Redis 7.0 replays the AOF at boot as
 * the default user, and with `-@all` it refuses every MULTI/EXEC of the file (NOPERM) and boots
 * without that data. So it keeps every right while it is off.
 */
export function defaultUserOffRule(): string[] {
  return ['default', 'reset', 'off', '~*', '&*', '+@all'];
}

/**
 * An ACL file (`redis-server --aclfile`) of these users: one `user <name> <rules...>` line each.
 * Passwords are written as their SHA-256 (`#<hex>`), so the file holds no secret in clear.
 */
export function aclFileOf(users: readonly (readonly string[])[]): string {
  return users.map((rule) => `user ${rule.map((part) => (part.startsWith('>') ? `#${sha256(part.slice(1))}` : part)).join(' ')}\n`).join('');
}

/** Passwords go into ACL files (space-separated) and REDIS_URLs: printable, no spaces, and long. */
function checkedPassword(password: string): string {
  if (!/^[\x21-\x7e]{16,}$/.test(password)) {
    throw new RangeError('an ACL password must be at least 16 printable ASCII characters, without spaces');
  }
  return password;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
