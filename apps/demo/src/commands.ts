/**
 * The demo's commands, typed on stdin (`origin down`) or sent to its control port
 * (`POST /origin/down`): one parser, one executor, so both ways behave the same.
 */
import { EDGE_REGIONS, type EdgeRegion, type World } from './world';

/** A site action: what an origin (or the api's backends) can be told to do. */
export type SiteAction = 'up' | 'down' | 'unhealthy' | 'degraded' | 'slow';

/** A parsed command. */
export type DemoCommand =
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'status' }
  | { kind: 'world' }
  | { kind: 'reset' }
  | { kind: 'site'; site: 'www' | 'shop' | 'api'; action: SiteAction; delayMs?: number }
  | { kind: 'edge'; region: EdgeRegion; action: 'up' | 'down' | 'purge' };

/** What {@link parseCommand} gives for input it does not understand. */
export interface CommandError {
  kind: 'error';
  message: string;
}

/** The help text, shared by stdin and the control port. */
export const COMMAND_HELP = `Commands (type them here, or POST them to the control port: curl -s -X POST <control>/origin/down):
  origin down | up | unhealthy | degraded | slow <ms>
                      the shop's origin, behind the edges (eu-west, us-east) and reached directly
                      from ap-south. "origin down": edges serve their cached page STALE with 200
                      while ap-south is refused and the bypass request gets 502: a masked outage.
  edge down | up | purge [eu-west|us-east]
                      one edge POP (default eu-west). "edge down": only that region loses the shop:
                      a regional outage.
  lb down | up | unhealthy | degraded | slow <ms>
                      the api's two backends, behind the load balancer. "lb down": the balancer
                      answers HAProxy's "503 Service Unavailable" page with status 200.
  www down | up | unhealthy | degraded | slow <ms>
                      the healthy site's origin (its /health is monitored from every region).
  reset               everything up, healthy and fast again
  status              each monitor's latest status, from the coordinator's API
  world               the state of every server of the world
  help                this text
  quit                stop everything and exit (Ctrl-C does the same)`;

const SITE_ALIASES: Record<string, 'www' | 'shop' | 'api'> = {
  www: 'www',
  site: 'www',
  origin: 'shop',
  shop: 'shop',
  lb: 'api',
  api: 'api',
  backends: 'api',
};

const SITE_ACTIONS: readonly SiteAction[] = ['up', 'down', 'unhealthy', 'degraded', 'slow'];

/** Parses one command line (words separated by spaces or `/`, case-insensitive). */
export function parseCommand(line: string): DemoCommand | CommandError | undefined {
  const words = line
    .trim()
    .toLowerCase()
    .split(/[\s/]+/)
    .filter((word) => word !== '');
  const [verb, action, argument, ...rest] = words;
  if (verb === undefined) return undefined;
  const extra = (expected: number): CommandError | undefined =>
    words.length > expected ? { kind: 'error', message: `"${line.trim()}": too many words (see "help")` } : undefined;
  switch (verb) {
    case 'help':
    case '?':
      return extra(1) ?? { kind: 'help' };
    case 'quit':
    case 'exit':
    case 'q':
      return extra(1) ?? { kind: 'quit' };
    case 'status':
      return extra(1) ?? { kind: 'status' };
    case 'world':
      return extra(1) ?? { kind: 'world' };
    case 'reset':
      return extra(1) ?? { kind: 'reset' };
    case 'edge': {
      if (action !== 'up' && action !== 'down' && action !== 'purge') {
        return { kind: 'error', message: 'usage: edge down | up | purge [eu-west|us-east]' };
      }
      const region = argument ?? 'eu-west';
      if (!(EDGE_REGIONS as readonly string[]).includes(region)) {
        return { kind: 'error', message: `edge regions are ${EDGE_REGIONS.join(' and ')} (ap-south reaches the origin directly)` };
      }
      return extra(3) ?? { kind: 'edge', region: region as EdgeRegion, action };
    }
    default: {
      const site = SITE_ALIASES[verb];
      if (site === undefined) return { kind: 'error', message: `unknown command "${verb}" (type "help")` };
      const siteAction = SITE_ACTIONS.find((candidate) => candidate === action);
      if (siteAction === undefined) return { kind: 'error', message: `usage: ${verb} ${SITE_ACTIONS.join(' | ')} <ms>` };
      if (siteAction === 'slow') {
        const delayMs = Number(argument ?? '3000');
        if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 120_000) {
          return { kind: 'error', message: `usage: ${verb} slow <ms> (0-120000), got "${argument ?? ''}"` };
        }
        return rest.length > 0 ? { kind: 'error', message: `"${line.trim()}": too many words` } : { kind: 'site', site, action: siteAction, delayMs };
      }
      return extra(2) ?? { kind: 'site', site, action: siteAction };
    }
  }
}

/** What happens to monitors after a world command, for the user (one line). */
function expectation(command: Extract<DemoCommand, { kind: 'site' | 'edge' }>): string {
  if (command.kind === 'edge') {
    if (command.action === 'down') return `${command.region} is cut off from the shop; the other regions are fine: expect a regional outage on the shop monitor.`;
    if (command.action === 'purge') return `the ${command.region} edge forgot its cache: with the origin down it now answers 502.`;
    return `the ${command.region} edge serves the shop again.`;
  }
  const what = { www: 'www', shop: 'shop', api: 'api' }[command.site];
  switch (command.action) {
    case 'up':
      return `${what} is healthy again: expect operational after the confirmation rounds.`;
    case 'down':
      if (command.site === 'shop') return 'edges keep serving the cached page (X-Cache: STALE, status 200), ap-south is refused, the bypass gets 502: expect a masked outage on the shop monitor.';
      if (command.site === 'api') return "the balancer has no healthy backend: it answers HAProxy's 503 page with status 200: expect an outage (lb_error_page) on the api monitor.";
      return 'www refuses connections everywhere: expect an outage.';
    case 'unhealthy':
      if (command.site === 'api') return "health checks fail: the balancer takes both backends out and serves its 503 page with status 200: expect an outage.";
      if (command.site === 'shop') return 'the origin answers 500; the edges serve their cached page STALE: expect a masked outage.';
      return '/health answers 503 with the database down: expect an outage (health_failed).';
    case 'degraded':
      return `${what}'s /health reports "degraded": expect degraded where /health is monitored (www, api).`;
    case 'slow':
      return `${what} answers after ${command.delayMs ?? 0} ms: expect degraded (slow) above 3000 ms, a timeout above the monitor's 10 s.`;
  }
}

/** Applies a world command; returns what to tell the user. */
export async function applyWorldCommand(world: World, command: Extract<DemoCommand, { kind: 'site' | 'edge' | 'reset' }>): Promise<string> {
  if (command.kind === 'reset') {
    await world.reset();
    return 'everything is up, healthy and fast again.';
  }
  if (command.kind === 'edge') {
    if (command.action === 'down') await world.edgeDown(command.region);
    else if (command.action === 'up') await world.edgeUp(command.region);
    else world.edges[command.region].purge();
    return `edge ${command.region} ${command.action}: ${expectation(command)}`;
  }
  const targets = command.site === 'www' ? [world.www] : command.site === 'shop' ? [world.shop] : [...world.apiBackends];
  await Promise.all(
    targets.map((target) => {
      switch (command.action) {
        case 'up':
          return target.up();
        case 'down':
          return target.down();
        case 'unhealthy':
          return target.unhealthy();
        case 'degraded':
          return target.degraded();
        case 'slow':
          return target.slow(command.delayMs ?? 3_000);
      }
    }),
  );
  if (command.site === 'api') await world.lb.checkNow();
  const label = command.site === 'shop' ? 'shop origin' : command.site === 'api' ? 'api backends' : 'www';
  return `${label} ${command.action}${command.action === 'slow' ? ` ${command.delayMs ?? 3_000} ms` : ''}: ${expectation(command)}`;
}
