/**
 * `npm run demo`: Crosscheck on one machine, against a small world of lying targets.
 *
 * Finds (or starts) Redis, starts the world (an origin behind two caching edges, a load balancer
 * over two backends, a healthy site), the coordinator and one agent per region (eu-west, us-east,
 * ap-south, each reaching the sites through its own routes), registers one monitor per site and
 * prints how to use the API and how to make the world lie: commands on stdin, or POSTs to a
 * control port. Ctrl-C (SIGINT), SIGTERM or `quit` stop everything it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as readline from 'node:readline';
import { applyWorldCommand, COMMAND_HELP, parseCommand, type DemoCommand } from './commands';
import { clip, CoordinatorApi, createdId } from './launcher/api';
import { freeLoopbackPort, preferredOrFreePort } from './launcher/ports';
import { killAllChildren, recordChildrenIn, startChild, type Child } from './launcher/processes';
import { findRedisServer, pingRedis, startLocalRedis } from './launcher/redis';
import { formatSummary, summarizeStatus } from './status-summary';
import { DEMO_HOSTS, DEMO_REGIONS, World, type DemoSite } from './world';

const INTERVAL_SECONDS = 5;
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const COORDINATOR_MAIN = join(REPO_ROOT, 'apps', 'coordinator', 'dist', 'main.js');
const AGENT_MAIN = join(REPO_ROOT, 'apps', 'agent', 'dist', 'main.js');

/** A fatal problem with a message for the user (no stack trace). */
class DemoError extends Error {}

interface RegisteredMonitor {
  site: DemoSite;
  name: string;
  url: string;
  id: string;
}

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

class Demo {
  private readonly runDir: string;
  private readonly logsDir: string;
  private reaper: ChildProcess | undefined;
  private world: World | undefined;
  private redis: Child | undefined;
  private redisUrl = '';
  private externalRedis = false;
  private coordinator: Child | undefined;
  private readonly agents: Child[] = [];
  private api: CoordinatorApi | undefined;
  private readonly monitors: RegisteredMonitor[] = [];
  private control: http.Server | undefined;
  private controlUrl = '';
  private docsUrl: string | undefined;
  /** A read-only token made for the dashboard (the admin token works too, but need not be pasted into a browser). */
  private dashboardToken: string | undefined;
  /** The public status page made of the demo's monitors (`/status/demo`), when it could be created. */
  private statusPageUrl: string | undefined;
  private rl: readline.Interface | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private readonly lastSummary = new Map<string, string>();
  private keepLogs = false;
  private stopping: Promise<void> | undefined;

  constructor() {
    this.runDir = mkdtempSync(join(tmpdir(), 'crosscheck-demo-'));
    this.logsDir = join(this.runDir, 'logs');
    mkdirSync(this.logsDir);
    const stateFile = join(this.runDir, 'children.json');
    recordChildrenIn(stateFile);
    // Cleans up after us if we are killed with SIGKILL (see reaper.ts).
    const reaperScript = join(__dirname, 'reaper.js');
    if (existsSync(reaperScript)) {
      this.reaper = spawn(process.execPath, [reaperScript, String(process.pid), stateFile, this.runDir], { detached: true, stdio: 'ignore' });
      this.reaper.unref();
    }
  }

  async start(): Promise<void> {
    out('Crosscheck demo: starting (Ctrl-C stops everything)');
    out(`  logs: ${this.logsDir}`);
    await this.startRedis();
    try {
      this.world = await World.start();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') {
        throw new DemoError(
          'The demo world listens on 127.0.0.11-33 and this system only routes 127.0.0.1 (macOS does that).\n' +
            'Add the addresses once: for a in 11 21 22 23 31 32 33; do sudo ifconfig lo0 alias 127.0.0.$a; done',
        );
      }
      throw error;
    }
    out(`  world: www, shop (behind two caching edges) and api (behind a load balancer) on 127.0.0.x port ${this.world.port}`);
    await this.startCoordinator();
    this.startAgents();
    // Monitors first: the coordinator learns of regions from them, and lists agents per region.
    await this.createMonitors();
    await this.waitForAgents();
    await this.startControl();
    await this.findDocs();
    await this.createDashboardToken();
    await this.createStatusPage();
    this.printBanner();
    this.startStdin();
    this.watchTimer = setInterval(() => void this.watch(), 2_500);
    this.watchTimer.unref();
  }

  private async startRedis(): Promise<void> {
    const fromEnv = process.env['REDIS_URL'];
    if (fromEnv !== undefined && fromEnv !== '') {
      const problem = await pingRedis(fromEnv);
      if (problem === undefined) {
        this.redisUrl = fromEnv;
        this.externalRedis = true;
        out(`  redis: REDIS_URL ${redact(fromEnv)} (the demo's monitors are deleted from it at exit)`);
        return;
      }
      out(`  redis: REDIS_URL ${redact(fromEnv)} does not answer (${problem}); starting a local redis-server instead`);
    }
    const binary = findRedisServer();
    if (binary === undefined) {
      throw new DemoError(
        [
          'The demo needs Redis and found none:',
          '  - REDIS_URL is ' + (fromEnv ? 'set but does not answer' : 'not set'),
          '  - no redis-server binary on PATH',
          'Install Redis (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`),',
          'or point the demo at one: `REDIS_URL=redis://127.0.0.1:6379 npm run demo`.',
        ].join('\n'),
      );
    }
    const redis = await startLocalRedis(binary, join(this.runDir, 'redis'), join(this.logsDir, 'redis.log'));
    this.redis = redis.child;
    this.redisUrl = redis.url;
    this.watchCrash(redis.child, true);
    out(`  redis: started ${binary} on ${redis.url} (throwaway: no persistence, removed at exit)`);
  }

  private async startCoordinator(): Promise<void> {
    const port = await preferredOrFreePort(3000);
    const token = `demo-${randomBytes(12).toString('hex')}`;
    const baseUrl = `http://127.0.0.1:${port}`;
    this.api = new CoordinatorApi(baseUrl, token);
    this.coordinator = startChild({
      name: 'coordinator',
      command: process.execPath,
      args: [COORDINATOR_MAIN],
      cwd: REPO_ROOT,
      env: {
        REDIS_URL: this.redisUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        API_TOKEN: token,
        // A fresh key each run: the demo's Redis keeps nothing worth decrypting later.
        SECRETS_KEY: randomBytes(32).toString('base64'),
        MIN_INTERVAL_SECONDS: '1',
        // Webhook receivers tried with the demo run on this machine (loopback).
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
      },
      logFile: join(this.logsDir, 'coordinator.log'),
    });
    this.watchCrash(this.coordinator, true);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (this.coordinator.exited) {
        throw new DemoError(`the coordinator exited at start (${this.coordinator.exitDescription()}); see ${this.coordinator.logFile}`);
      }
      const health = await this.api.health(1_000);
      if (health !== undefined) {
        out(`  coordinator: ${baseUrl} (GET /health answered ${health.status})`);
        return;
      }
      if (Date.now() > deadline) throw new DemoError(`the coordinator did not answer on ${baseUrl}/health within 30 s; see ${this.coordinator.logFile}`);
      await sleep(250);
    }
  }

  private startAgents(): void {
    const world = this.requireWorld();
    for (const region of DEMO_REGIONS) {
      const agent = startChild({
        name: `agent ${region}`,
        command: process.execPath,
        args: [AGENT_MAIN],
        cwd: REPO_ROOT,
        env: {
          REDIS_URL: this.redisUrl,
          REGION: region,
          AGENT_ID: `demo-${region}`,
          CONCURRENCY: '4',
          RESOLVE: world.resolveFor(region).join(','),
          ALLOW_PRIVATE_TARGETS: 'true',
          LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
        },
        logFile: join(this.logsDir, `agent-${region}.log`),
      });
      this.agents.push(agent);
      this.watchCrash(agent, false);
    }
  }

  /** Waits (up to 20 s) until GET /v1/agents names every region; not fatal. */
  private async waitForAgents(): Promise<void> {
    const api = this.requireApi();
    const deadline = Date.now() + 20_000;
    let last = '';
    while (Date.now() < deadline) {
      if (this.agents.some((agent) => agent.exited)) break;
      try {
        const response = await api.request('GET', '/v1/agents', undefined, 2_000);
        last = `${response.status} ${clip(response.body, 200)}`;
        if (response.status === 200 && DEMO_REGIONS.every((region) => response.text.includes(`"${region}"`))) {
          out(`  agents: ${DEMO_REGIONS.join(', ')} reporting (GET /v1/agents)`);
          return;
        }
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await sleep(500);
    }
    const exited = this.agents.filter((agent) => agent.exited);
    if (exited.length > 0) {
      out(`  agents: ${exited.map((agent) => `${agent.name} exited (${agent.exitDescription()}; see ${agent.logFile})`).join('; ')}`);
    } else {
      out(`  agents: started, but GET /v1/agents does not list all regions yet (last: ${last}); see ${this.logsDir}`);
    }
  }

  private async createMonitors(): Promise<void> {
    const api = this.requireApi();
    const world = this.requireWorld();
    for (const monitor of world.monitors()) {
      const body = { name: monitor.name, url: monitor.url, regions: [...DEMO_REGIONS], intervalSeconds: INTERVAL_SECONDS, ...monitor.spec };
      const response = await api.request('POST', '/v1/monitors', body);
      const id = createdId(response);
      if (response.status !== 201 || id === undefined) {
        throw new DemoError(`creating the monitor "${monitor.name}" failed: POST /v1/monitors answered ${response.status} ${clip(response.body, 600)}`);
      }
      this.monitors.push({ site: monitor.site, name: monitor.name, url: monitor.url, id });
    }
    out(`  monitors: ${this.monitors.length} created, every ${INTERVAL_SECONDS} s from ${DEMO_REGIONS.join(', ')}`);
  }

  /** A `read` token to paste into the dashboard's sign-in; not fatal when refused (the banner then offers the admin token). */
  private async createDashboardToken(): Promise<void> {
    const api = this.requireApi();
    try {
      const response = await api.request('POST', '/v1/tokens', { name: 'demo dashboard', scope: 'read' });
      const body = response.body;
      if (response.status === 201 && typeof body === 'object' && body !== null && typeof (body as { token?: unknown }).token === 'string') {
        this.dashboardToken = (body as { token: string }).token;
        return;
      }
      out(`  dashboard: could not create a read token (POST /v1/tokens answered ${response.status} ${clip(response.body, 200)}); sign in with the admin token`);
    } catch (error) {
      out(`  dashboard: could not create a read token (${error instanceof Error ? error.message : String(error)}); sign in with the admin token`);
    }
  }

  /** A public status page of the demo's monitors; not fatal when refused (the banner then leaves it out). */
  private async createStatusPage(): Promise<void> {
    const api = this.requireApi();
    const page = {
      slug: 'demo',
      title: 'Demo shop status',
      description: 'What the demo world looks like to its customers: no token, no URLs, no evidence.',
      monitorIds: this.monitors.map((monitor) => monitor.id),
    };
    try {
      const response = await api.request('POST', '/v1/status-pages', page);
      if (response.status === 201) {
        this.statusPageUrl = `${api.baseUrl}/status/${page.slug}`;
        return;
      }
      out(`  status page: not created (POST /v1/status-pages answered ${response.status} ${clip(response.body, 200)})`);
    } catch (error) {
      out(`  status page: not created (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** The OpenAPI UI, when the coordinator serves one at a usual place. */
  private async findDocs(): Promise<void> {
    const api = this.requireApi();
    for (const [ui, json] of [['/docs', '/docs-json'], ['/api', '/api-json'], ['/openapi', '/openapi.json']] as const) {
      try {
        const response = await api.request('GET', json, undefined, 2_000);
        if (response.status === 200 && /"openapi"\s*:/.test(response.text)) {
          this.docsUrl = `${api.baseUrl}${ui} (JSON: ${api.baseUrl}${json})`;
          return;
        }
      } catch {
        // try the next place
      }
    }
  }

  private async startControl(): Promise<void> {
    const port = await freeLoopbackPort();
    this.controlUrl = `http://127.0.0.1:${port}`;
    const server = http.createServer((request, response) => {
      void this.handleControl(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`${error instanceof Error ? error.message : String(error)}\n`);
      });
    });
    await new Promise<void>((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port }, () => resolvePromise());
    });
    this.control = server;
  }

  private async handleControl(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    request.resume();
    const path = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/');
    const reply = (status: number, text: string): void => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      response.end(text.endsWith('\n') ? text : `${text}\n`);
    };
    if (request.method === 'GET' && (path === '/' || path === '/world')) {
      reply(200, `${path === '/' ? `${COMMAND_HELP}\n\nWorld:\n` : ''}${this.requireWorld().describe().join('\n')}`);
      return;
    }
    if (request.method === 'GET' && path === '/status') {
      reply(200, await this.statusText());
      return;
    }
    if (request.method !== 'POST') {
      reply(405, 'GET / (help and world state), GET /status, or POST /<command>, e.g. curl -s -X POST <control>/origin/down');
      return;
    }
    const command = parseCommand(path);
    if (command === undefined) {
      reply(400, 'POST /<command>, e.g. /origin/down, /lb/up, /www/slow/4000, /edge/down/eu-west');
      return;
    }
    if (command.kind === 'error') {
      reply(400, command.message);
      return;
    }
    const text = await this.execute(command, 'control port');
    reply(200, text);
    if (command.kind === 'quit') void this.stop('quit (control port)', 0);
  }

  /** Runs a command; returns its output (also printed when it came from the control port). */
  private async execute(command: DemoCommand, from: 'stdin' | 'control port'): Promise<string> {
    let text: string;
    switch (command.kind) {
      case 'help':
        text = COMMAND_HELP;
        break;
      case 'quit':
        text = 'stopping';
        break;
      case 'status':
        text = await this.statusText();
        break;
      case 'world':
        text = this.requireWorld().describe().join('\n');
        break;
      default:
        text = await applyWorldCommand(this.requireWorld(), command);
    }
    if (from === 'control port') out(`[control] ${text.split('\n')[0] ?? ''}`);
    return text;
  }

  private async statusText(): Promise<string> {
    const api = this.requireApi();
    const lines: string[] = [];
    for (const monitor of this.monitors) {
      try {
        const response = await api.request('GET', `/v1/monitors/${encodeURIComponent(monitor.id)}/status`, undefined, 3_000);
        if (response.status !== 200) {
          lines.push(`${monitor.name}: GET status answered ${response.status} ${clip(response.body, 200)}`);
          continue;
        }
        const summary = summarizeStatus(response.body, DEMO_REGIONS);
        lines.push(`${monitor.name}: ${formatSummary(summary, DEMO_REGIONS)}`);
        if (summary.classification === undefined && Object.keys(summary.regions).length === 0) lines.push(`  ${clip(response.body, 400)}`);
      } catch (error) {
        lines.push(`${monitor.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return lines.join('\n');
  }

  /** Prints a line whenever a monitor's classification or regional verdicts change. */
  private async watch(): Promise<void> {
    if (this.stopping !== undefined || this.api === undefined) return;
    for (const monitor of this.monitors) {
      try {
        const response = await this.api.request('GET', `/v1/monitors/${encodeURIComponent(monitor.id)}/status`, undefined, 2_000);
        if (response.status !== 200) continue;
        const summary = summarizeStatus(response.body, DEMO_REGIONS);
        if (summary.classification === undefined && Object.keys(summary.regions).length === 0) continue;
        const text = formatSummary(summary, DEMO_REGIONS);
        if (this.lastSummary.get(monitor.id) === text) continue;
        this.lastSummary.set(monitor.id, text);
        this.print(`[${new Date().toISOString().slice(11, 19)}] ${monitor.site.padEnd(4)} ${text}`);
      } catch {
        // the coordinator is busy or stopping: try again next time
      }
    }
  }

  /** Prints a line without mangling what the user is typing. */
  private print(line: string): void {
    if (this.rl !== undefined && process.stdout.isTTY) {
      readline.clearLine(process.stdout, 0);
      readline.cursorTo(process.stdout, 0);
      out(line);
      this.rl.prompt(true);
    } else {
      out(line);
    }
  }

  private printBanner(): void {
    const api = this.requireApi();
    const world = this.requireWorld();
    const auth = `-H 'Authorization: Bearer ${api.token}'`;
    const shop = this.monitors.find((monitor) => monitor.site === 'shop') ?? this.monitors[0];
    const edge = world.edges['eu-west'];
    out('');
    out('Crosscheck demo is running.');
    out('');
    out(`  Dashboard ${api.baseUrl}/   open it in a browser and paste this read-only token to sign in:`);
    out(`            ${this.dashboardToken ?? api.token}`);
    if (this.statusPageUrl !== undefined) out(`  Status    ${this.statusPageUrl}   the public status page of the demo's monitors (no token; JSON: add .json)`);
    out(`  API       ${api.baseUrl}`);
    out(`  Token     ${api.token}  (admin: every route; the dashboard's writes, e.g. creating a monitor, need it)`);
    if (this.docsUrl !== undefined) out(`  API docs  ${this.docsUrl}`);
    out(`  Redis     ${redact(this.redisUrl)}${this.externalRedis ? ' (from REDIS_URL)' : ' (started by the demo)'}`);
    out(`  Control   ${this.controlUrl}  (GET / for help and the world's state, POST /origin/down to run a command)`);
    out(`  Logs      ${this.logsDir}  (coordinator.log, agent-<region>.log${this.externalRedis ? '' : ', redis.log'})`);
    out('');
    out(`Monitors (every ${INTERVAL_SECONDS} s from ${DEMO_REGIONS.join(', ')}):`);
    const byName = new Map(world.monitors().map((monitor) => [monitor.site, monitor.story]));
    for (const monitor of this.monitors) {
      out(`  ${monitor.id}  ${monitor.name}  ${monitor.url}`);
      out(`      ${byName.get(monitor.site) ?? ''}`);
    }
    out('');
    out('Try the API:');
    out(`  curl -s ${api.baseUrl}/health                  # the status only; with a token, the details:`);
    out(`  curl -s ${auth} ${api.baseUrl}/health`);
    out(`  curl -s ${auth} -H 'Content-Type: application/json' -d '{"name":"dashboard","scope":"read"}' ${api.baseUrl}/v1/tokens`);
    out(`  curl -s ${auth} ${api.baseUrl}/v1/monitors`);
    if (shop !== undefined) out(`  curl -s ${auth} ${api.baseUrl}/v1/monitors/${shop.id}/status`);
    out(`  curl -s ${auth} ${api.baseUrl}/v1/agents`);
    out('');
    out('Or with the CLI (monitoring as code: export the demo\'s monitors as a file, edit it, plan, apply):');
    out(`  export CROSSCHECK_URL=${api.baseUrl} CROSSCHECK_TOKEN=${api.token}`);
    out('  npm run -s crosscheck -- monitors ls');
    out('  npm run -s crosscheck -- export -o demo.yaml && npm run -s crosscheck -- plan -f demo.yaml');
    out('');
    out('See a site the way a region does (no DNS: the agents use the same --resolve routes):');
    out(`  curl -si --resolve ${DEMO_HOSTS.shop}:${world.port}:${edge.host} ${world.urlOf('shop')} | head -12    # eu-west, via its edge`);
    out(`  curl -si --resolve ${DEMO_HOSTS.api}:${world.port}:${world.lb.host} ${world.urlOf('api', '/health')}`);
    out('');
    out('Make the world lie: type a command here, or POST it to the control port.');
    out('  origin down     the shop origin dies; its edges keep serving a cached 200 (masked outage)');
    out('  edge down       the eu-west edge dies; only eu-west loses the shop (regional outage)');
    out("  lb down         the api backends die; the balancer serves HAProxy's 503 page as a 200");
    out('  www slow 4000   the healthy site gets slow (degraded)');
    out('  origin up, edge up, lb up, www up, reset     heal');
    out('  status, world, help, quit');
    out(`  e.g. curl -s -X POST ${this.controlUrl}/origin/down`);
    out('');
    out("Each monitor's status (classification, and every region's verdict with its causes) is printed below when it changes.");
    out('');
  }

  private startStdin(): void {
    const interactive = process.stdin.isTTY === true;
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, prompt: interactive ? 'demo> ' : '' });
    this.rl = rl;
    rl.on('line', (line) => {
      const command = parseCommand(line);
      if (command === undefined) {
        rl.prompt();
        return;
      }
      if (command.kind === 'error') {
        out(command.message);
        rl.prompt();
        return;
      }
      if (command.kind === 'quit') {
        void this.stop('quit', 0);
        return;
      }
      void this.execute(command, 'stdin').then(
        (text) => {
          out(text);
          rl.prompt();
        },
        (error: unknown) => {
          out(`failed: ${error instanceof Error ? error.message : String(error)}`);
          rl.prompt();
        },
      );
    });
    // Ctrl-C in readline's raw mode arrives on the interface, not as a signal: make it one, so
    // the process's handler (which also counts a second Ctrl-C) deals with it.
    rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
    rl.on('close', () => {
      if (this.stopping !== undefined) return;
      if (interactive) {
        void this.stop('end of input', 0);
      } else {
        out(`stdin closed: commands still work through the control port (${this.controlUrl}); stop with SIGTERM or Ctrl-C.`);
      }
    });
    rl.prompt();
  }

  private watchCrash(child: Child, fatal: boolean): void {
    child.onUnexpectedExit(() => {
      this.keepLogs = true;
      if (this.stopping !== undefined) return;
      this.print(`! ${child.name} exited unexpectedly (${child.exitDescription()}); its log: ${child.logFile}`);
      if (fatal && this.monitors.length > 0) void this.stop(`${child.name} died`, 1);
    });
  }

  private requireWorld(): World {
    if (this.world === undefined) throw new Error('the world is not started');
    return this.world;
  }

  private requireApi(): CoordinatorApi {
    if (this.api === undefined) throw new Error('the coordinator is not started');
    return this.api;
  }

  /** Stops everything (idempotent) and exits with `code`. */
  stop(reason: string, code: number, keepLogs = false): Promise<void> {
    if (keepLogs) this.keepLogs = true;
    // Set before anything runs, so events fired while stopping (readline's close) see it.
    this.stopping ??= Promise.resolve().then(() => this.shutdown(reason, code));
    return this.stopping;
  }

  private async shutdown(reason: string, code: number): Promise<void> {
    if (this.watchTimer !== undefined) clearInterval(this.watchTimer);
    if (this.rl !== undefined) {
      this.rl.close();
      if (process.stdin.isTTY) out('');
    }
    process.stdin.pause();
    out(`Stopping (${reason})…`);
    const steps: [string, () => Promise<unknown>][] = [];
    if (this.control !== undefined) {
      const control = this.control;
      steps.push(['control port', () => new Promise<void>((resolvePromise) => control.close(() => resolvePromise()))]);
      control.closeAllConnections();
    }
    if (this.externalRedis && this.api !== undefined && this.coordinator?.exited === false) {
      const api = this.api;
      steps.push([
        'demo monitors',
        () => Promise.all(this.monitors.map((monitor) => api.request('DELETE', `/v1/monitors/${encodeURIComponent(monitor.id)}`, undefined, 3_000).catch(() => undefined))),
      ]);
    }
    steps.push(['agents', () => Promise.all(this.agents.map((agent) => agent.stop()))]);
    if (this.coordinator !== undefined) {
      const coordinator = this.coordinator;
      steps.push(['coordinator', () => coordinator.stop()]);
    }
    if (this.world !== undefined) {
      const world = this.world;
      steps.push(['world', () => world.stop()]);
    }
    if (this.redis !== undefined) {
      const redis = this.redis;
      steps.push(['redis-server', () => redis.stop(5_000)]);
    }
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        err(`  stopping ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    killAllChildren();
    if (this.reaper?.pid !== undefined) {
      try {
        process.kill(this.reaper.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    if (this.keepLogs && readdirSync(this.logsDir).length > 0) {
      out(`Stopped. Logs kept in ${this.logsDir}`);
    } else {
      rmSync(this.runDir, { recursive: true, force: true });
      out('Stopped; nothing left running.');
    }
    process.exit(code);
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

async function main(): Promise<void> {
  const missing = [COORDINATOR_MAIN, AGENT_MAIN].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    err(`The demo runs the built coordinator and agent, and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing: run \`npm run build\` first (\`npm run demo\` builds before starting).`);
    process.exit(1);
  }
  const demo = new Demo();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      err(`${signal} again: killing everything now.`);
      killAllChildren();
      process.exit(130);
    }
    void demo.stop(signal, signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    await demo.start();
  } catch (error) {
    err('');
    err(error instanceof DemoError ? error.message : `The demo failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await demo.stop('start failed', 1, true);
  }
}

void main();
