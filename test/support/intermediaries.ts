/**
 * Real intermediaries in front of a local origin, configured the way tutorials and default
 * packages configure them, so end-to-end suites can show a monitor the lies they tell:
 *
 * - `nginxCacheEdge`      nginx proxy_cache + proxy_cache_use_stale: a CDN-ish edge that keeps
 *                         serving the cached 200 when the origin is gone (`X-Cache-Status: STALE`).
 * - `varnishGraceEdge`    Varnish with ttl 1s and grace 1h: serves the stale object from grace
 *                         when the backend is down (`Age` keeps growing).
 * - `haproxyErrorfile200` HAProxy whose 502/503/504 errorfiles are Debian's stock pages with the
 *                         status line changed to `HTTP/1.0 200 OK` (a "friendly" maintenance page).
 * - `nginxErrorPage200`   nginx `proxy_intercept_errors on; error_page 502 503 504 =200 /50x.html`
 *                         with nginx's stock 50x.html ("Faithfully yours, nginx.").
 *
 * Each runs as a foreground process in its own temp dir, on a free loopback port, and is ready
 * (answers HTTP) when the promise resolves. `stop()` kills it and everything it forked.
 * Binaries come from Debian: `apt-get install nginx-light varnish haproxy`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertLoopback, freePort } from './net';
import {
  leakedProcesses,
  liveManagedProcessTree,
  makeRunDir,
  resolveBinary,
  startManagedProcess,
  stopAllManagedProcesses,
  type LeakedProcess,
  type ManagedProcess,
} from './processes';

/** Stops every intermediary still running: the safety net for `afterAll`. */
export const stopAllIntermediaries: () => Promise<void> = stopAllManagedProcesses;
/** Pids of every process (leaders, workers, children) of intermediaries not yet stopped. */
export const liveIntermediaryPids: () => number[] = liveManagedProcessTree;
/** Live processes of intermediaries that should have been stopped; `[]` when nothing leaked. */
export const leakedIntermediaryProcesses: () => LeakedProcess[] = leakedProcesses;
export type { LeakedProcess };

/** Where the origin listens; an `Origin` from `./origin` fits. */
export interface OriginAddress {
  host: string;
  port: number;
}

export interface IntermediaryOptions {
  /** Loopback address the intermediary listens on. Default `127.0.0.1`. */
  host?: string;
  /** Port; default a free one on `host`. */
  port?: number;
}

export interface NginxOptions extends IntermediaryOptions {
  /** nginx `master_process`: `on` (default) runs a master and a worker, `off` a single process. */
  masterProcess?: boolean;
}

export type IntermediaryKind =
  | 'nginx-cache-edge'
  | 'varnish-grace-edge'
  | 'haproxy-errorfile-200'
  | 'nginx-error-page-200'
  | 'varnish-hidden-cache'
  | 'nginx-operator-text-200';

export interface Intermediary {
  readonly kind: IntermediaryKind;
  /** `http://host:port/` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Pid of the process leader (nginx master, varnishd manager, haproxy). */
  readonly pid: number;
  /** Its run dir: generated config, logs, cache. Removed on stop. */
  readonly dir: string;
  /** Its command line, output and log tails, for failure messages. */
  output(): string;
  /** Stops it and everything it forked; idempotent. */
  stop(): Promise<void>;
}

const BINARIES = {
  nginx: { name: 'nginx', aptPackage: 'nginx-light' },
  varnishd: { name: 'varnishd', aptPackage: 'varnish' },
  haproxy: { name: 'haproxy', aptPackage: 'haproxy' },
} as const;

/**
 * nginx's stock `html/50x.html` (upstream nginx since 1.21.1, the page `error_page 500 502 503 504
 * /50x.html` serves in the default config). Debian's nginx-light does not ship it.
 */
export const NGINX_STOCK_50X_HTML = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

/** HAProxy's stock errorfiles as Debian installs them in /etc/haproxy/errors (CRLF line ends). */
const HAPROXY_STOCK_ERRORFILES: Record<502 | 503 | 504, string> = {
  502: [
    'HTTP/1.0 502 Bad Gateway',
    'Cache-Control: no-cache',
    'Connection: close',
    'Content-Type: text/html',
    '',
    '<html><body><h1>502 Bad Gateway</h1>',
    'The server returned an invalid or incomplete response.',
    '</body></html>',
    '',
  ].join('\r\n'),
  503: [
    'HTTP/1.0 503 Service Unavailable',
    'Cache-Control: no-cache',
    'Connection: close',
    'Content-Type: text/html',
    '',
    '<html><body><h1>503 Service Unavailable</h1>',
    'No server is available to handle this request.',
    '</body></html>',
    '',
  ].join('\r\n'),
  504: [
    'HTTP/1.0 504 Gateway Time-out',
    'Cache-Control: no-cache',
    'Connection: close',
    'Content-Type: text/html',
    '',
    '<html><body><h1>504 Gateway Time-out</h1>',
    "The server didn't respond in time.",
    '</body></html>',
    '',
  ].join('\r\n'),
};

/** The installed errorfile (Debian's copy) when present, else the identical stock text. */
function stockHaproxyErrorfile(code: 502 | 503 | 504): string {
  const installed = `/etc/haproxy/errors/${code}.http`;
  return existsSync(installed) ? readFileSync(installed, 'latin1') : HAPROXY_STOCK_ERRORFILES[code];
}

/** The same errorfile with its status line replaced by `HTTP/1.0 200 OK`, line ends kept. */
export function errorfileAs200(errorfile: string): string {
  return errorfile.replace(/^HTTP\/1\.[01] \d{3}[^\r\n]*/, 'HTTP/1.0 200 OK');
}

async function listenAddress(options: IntermediaryOptions): Promise<{ host: string; port: number }> {
  const host = options.host ?? '127.0.0.1';
  assertLoopback(host);
  return { host, port: options.port ?? (await freePort(host)) };
}

function checkOrigin(origin: OriginAddress): void {
  assertLoopback(origin.host);
  if (!Number.isInteger(origin.port) || origin.port <= 0 || origin.port > 65_535) throw new Error(`invalid origin port ${origin.port}`);
}

function asIntermediary(kind: IntermediaryKind, host: string, port: number, managed: ManagedProcess): Intermediary {
  return {
    kind,
    url: managed.url,
    host,
    port,
    pid: managed.pid,
    dir: managed.dir,
    output: () => managed.output(),
    stop: () => managed.stop(),
  };
}

// ---------------------------------------------------------------------------------------------
// nginx

/** The parts of nginx.conf that keep it inside its run dir. `server` is the http-level config. */
function nginxConf(dir: string, masterProcess: boolean, httpBlock: string): string {
  return `# generated by test/support/intermediaries.ts
daemon off;
master_process ${masterProcess ? 'on' : 'off'};
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;

events {
    worker_connections 128;
}

http {
    types {
        text/html html htm;
        application/json json;
        text/plain txt;
    }
    default_type application/octet-stream;
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/client_body_temp;
    proxy_temp_path ${dir}/proxy_temp;
    fastcgi_temp_path ${dir}/fastcgi_temp;
    uwsgi_temp_path ${dir}/uwsgi_temp;
    scgi_temp_path ${dir}/scgi_temp;
    sendfile on;
    keepalive_timeout 5s;

${httpBlock}
}
`;
}

async function startNginx(kind: IntermediaryKind, label: string, options: NginxOptions, httpBlock: (dir: string, listen: string) => string, prepare?: (dir: string) => void): Promise<Intermediary> {
  const command = resolveBinary(BINARIES.nginx.name, BINARIES.nginx.aptPackage);
  const { host, port } = await listenAddress(options);
  const dir = makeRunDir(kind);
  prepare?.(dir);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConf(dir, options.masterProcess ?? true, httpBlock(dir, `${host}:${port}`)));
  const managed = await startManagedProcess({
    name: label,
    command,
    // -e: errors before the config is read go to the run dir too, not /var/log/nginx.
    args: ['-p', `${dir}/`, '-e', join(dir, 'error.log'), '-c', conf],
    dir,
    host,
    port,
    logFiles: [join(dir, 'error.log')],
  });
  return asIntermediary(kind, host, port, managed);
}

/**
 * nginx as a CDN-ish caching edge: `proxy_cache` honouring the origin's `max-age` (with
 * `proxy_cache_valid 200 1s` for responses without one), revalidation, and
 * `proxy_cache_use_stale error timeout http_500 http_502 http_503 http_504 updating`, so with the
 * origin down it answers `200` from cache with `X-Cache-Status: STALE`.
 */
export function nginxCacheEdge(origin: OriginAddress, options: NginxOptions = {}): Promise<Intermediary> {
  checkOrigin(origin);
  return startNginx('nginx-cache-edge', 'nginx cache edge', options, (dir, listen) => `    proxy_cache_path ${dir}/cache levels=1:2 keys_zone=edge_cache:1m max_size=32m inactive=60m use_temp_path=off;

    server {
        listen ${listen};
        server_name _;

        location / {
            proxy_pass http://${origin.host}:${origin.port};
            proxy_set_header Host $host;
            proxy_connect_timeout 1s;
            proxy_read_timeout 5s;

            proxy_cache edge_cache;
            proxy_cache_valid 200 1s;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            proxy_cache_use_stale error timeout http_500 http_502 http_503 http_504 updating;
            add_header X-Cache-Status $upstream_cache_status always;
        }
    }`);
}

/**
 * nginx as a reverse proxy that turns upstream failures into its stock 50x page with status 200:
 * `proxy_intercept_errors on; error_page 502 503 504 =200 /50x.html;`.
 */
export function nginxErrorPage200(origin: OriginAddress, options: NginxOptions = {}): Promise<Intermediary> {
  checkOrigin(origin);
  return startNginx(
    'nginx-error-page-200',
    'nginx error_page =200 proxy',
    options,
    (dir, listen) => `    server {
        listen ${listen};
        server_name _;
        root ${dir}/html;

        location / {
            proxy_pass http://${origin.host}:${origin.port};
            proxy_set_header Host $host;
            proxy_connect_timeout 1s;
            proxy_read_timeout 5s;
            proxy_intercept_errors on;
        }

        error_page 502 503 504 =200 /50x.html;
        location = /50x.html {
            root ${dir}/html;
        }
    }`,
    (dir) => {
      mkdirSync(join(dir, 'html'), { mode: 0o755 });
      writeFileSync(join(dir, 'html', '50x.html'), NGINX_STOCK_50X_HTML, { mode: 0o644 });
    },
  );
}

/**
 * nginx in front of an application, with the operator's own "try again later" text as the answer
 * to every upstream failure, served as `200 text/plain` (`error_page 502 503 504 =200`): no vendor
 * page, no error status, nothing any fingerprint knows.
 */
export const OPERATOR_TEXT = 'Service temporarily unavailable. We are working on it, please try again in a few minutes.\n';

export function nginxOperatorText200(origin: OriginAddress, options: NginxOptions = {}): Promise<Intermediary> {
  checkOrigin(origin);
  return startNginx(
    'nginx-operator-text-200',
    'nginx operator text =200 proxy',
    options,
    (_dir, listen) => `    server {
        listen ${listen};
        server_name _;

        location / {
            proxy_pass http://${origin.host}:${origin.port};
            proxy_set_header Host $host;
            proxy_connect_timeout 1s;
            proxy_read_timeout 5s;
            proxy_intercept_errors on;
        }

        error_page 502 503 504 =200 /unavailable.txt;
        location = /unavailable.txt {
            internal;
            default_type text/plain;
            return 200 ${JSON.stringify(OPERATOR_TEXT.replace(/\n$/, ''))};
        }
    }`,
  );
}

// ---------------------------------------------------------------------------------------------
// Varnish

/**
 * Varnish with `beresp.ttl = 1s; beresp.grace = 1h;`: after the origin dies it keeps delivering the
 * graced object (`200`, `Age` growing, `Via: 1.1 varnish`, `X-Varnish: <xid> <xid>`) while a
 * request that misses the cache gets Varnish's own 503 "Backend fetch failed".
 */
export async function varnishGraceEdge(origin: OriginAddress, options: IntermediaryOptions = {}): Promise<Intermediary> {
  checkOrigin(origin);
  const command = resolveBinary(BINARIES.varnishd.name, BINARIES.varnishd.aptPackage);
  const { host, port } = await listenAddress(options);
  const dir = makeRunDir('varnish-grace-edge');
  const vcl = join(dir, 'default.vcl');
  writeFileSync(
    vcl,
    `# generated by test/support/intermediaries.ts
vcl 4.1;

backend origin {
    .host = "${origin.host}";
    .port = "${origin.port}";
    .connect_timeout = 1s;
    .first_byte_timeout = 5s;
    .between_bytes_timeout = 5s;
}

sub vcl_backend_response {
    # Short TTL, long grace: when the backend is down, serve the stale object for up to an hour.
    set beresp.ttl = 1s;
    set beresp.grace = 1h;
}
`,
    { mode: 0o644 },
  );
  const managed = await startManagedProcess({
    name: 'varnish grace edge',
    command,
    args: [
      '-F',
      '-n', join(dir, 'varnish'),
      '-a', `${host}:${port}`,
      // The management CLI on loopback only, on a port of the kernel's choosing.
      '-T', '127.0.0.1:0',
      '-f', vcl,
      '-s', 'malloc,32m',
    ],
    dir,
    host,
    port,
    startTimeoutMs: 30_000,
  });
  return asIntermediary('varnish-grace-edge', host, port, managed);
}

/**
 * Varnish as a cache that hides itself: the lookup keyed on the path only (the query string is
 * dropped and the client's `Cache-Control` ignored, so the bypass request reaches the same copy),
 * the origin's caching headers overridden (`ttl 0.5s`, `grace 1h`), and nothing in the answer that
 * names a cache (no `Age`, `Via`, `X-Varnish`, `Cache-Control`). While its health probe finds the
 * origin healthy, a copy older than the TTL is refetched; once the origin dies, users get the last
 * healthy copy with `200`, for an hour (grace while sick). Varnish's sub-second TTL keeps a
 * copy exactly as long as it says, unlike nginx's whole seconds.
 */
export async function varnishHiddenCache(origin: OriginAddress, options: IntermediaryOptions = {}): Promise<Intermediary> {
  checkOrigin(origin);
  const command = resolveBinary(BINARIES.varnishd.name, BINARIES.varnishd.aptPackage);
  const { host, port } = await listenAddress(options);
  const dir = makeRunDir('varnish-hidden-cache');
  const vcl = join(dir, 'default.vcl');
  writeFileSync(
    vcl,
    `# generated by test/support/intermediaries.ts
vcl 4.1;

import std;

backend origin {
    .host = "${origin.host}";
    .port = "${origin.port}";
    .connect_timeout = 1s;
    .first_byte_timeout = 5s;
    .between_bytes_timeout = 5s;
    .probe = {
        .url = "/";
        .interval = 0.5s;
        .timeout = 0.3s;
        .window = 2;
        .threshold = 1;
        .initial = 1;
    }
}

sub vcl_recv {
    # Stale copies only while the origin is sick (Varnish's "grace when sick" pattern): a healthy
    # origin is asked every time the short TTL has passed.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    # Keyed on the path: the query string goes, and the client cannot ask for a fresh copy.
    set req.url = regsub(req.url, "[?].*$", "");
    unset req.http.Cache-Control;
    unset req.http.Pragma;
    return (hash);
}

sub vcl_backend_response {
    # The origin's own caching headers are overridden (the builtin VCL would not cache no-cache).
    set beresp.ttl = 0.5s;
    set beresp.grace = 1h;
    unset beresp.http.Cache-Control;
    unset beresp.http.Expires;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.Age;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    unset resp.http.Cache-Control;
}
`,
    { mode: 0o644 },
  );
  const managed = await startManagedProcess({
    name: 'varnish hidden cache',
    command,
    args: ['-F', '-n', join(dir, 'varnish'), '-a', `${host}:${port}`, '-T', '127.0.0.1:0', '-f', vcl, '-s', 'malloc,32m'],
    dir,
    host,
    port,
    startTimeoutMs: 30_000,
  });
  return asIntermediary('varnish-hidden-cache', host, port, managed);
}

// ---------------------------------------------------------------------------------------------
// HAProxy

/**
 * HAProxy in front of the origin, with fast TCP health checks (no HTTP request reaches the origin
 * from them), whose 502/503/504 errorfiles are Debian's stock pages with `HTTP/1.0 200 OK` as
 * status line: with the origin down every request gets `200` and "503 Service Unavailable / No
 * server is available to handle this request.", with no `Server` header.
 */
export async function haproxyErrorfile200(origin: OriginAddress, options: IntermediaryOptions = {}): Promise<Intermediary> {
  checkOrigin(origin);
  const command = resolveBinary(BINARIES.haproxy.name, BINARIES.haproxy.aptPackage);
  const { host, port } = await listenAddress(options);
  const dir = makeRunDir('haproxy-errorfile-200');
  const errors = join(dir, 'errors');
  mkdirSync(errors, { mode: 0o755 });
  for (const code of [502, 503, 504] as const) {
    writeFileSync(join(errors, `${code}.http`), errorfileAs200(stockHaproxyErrorfile(code)), { encoding: 'latin1', mode: 0o644 });
  }
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    `# generated by test/support/intermediaries.ts
global
    maxconn 256
    pidfile ${dir}/haproxy.pid

defaults
    mode http
    option httplog
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    retries 1
    errorfile 502 ${errors}/502.http
    errorfile 503 ${errors}/503.http
    errorfile 504 ${errors}/504.http

frontend www
    bind ${host}:${port}
    default_backend app

backend app
    # Fast TCP checks: a dead origin is marked DOWN within ~300 ms and every request then gets
    # the 503 errorfile at once (no connect retries).
    server origin ${origin.host}:${origin.port} check inter 300ms fall 1 rise 1
`,
    { mode: 0o644 },
  );
  const managed = await startManagedProcess({
    name: 'haproxy errorfile 200',
    command,
    args: ['-db', '-f', cfg],
    dir,
    host,
    port,
  });
  return asIntermediary('haproxy-errorfile-200', host, port, managed);
}
