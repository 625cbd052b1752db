import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardAsset, LoadedDashboard, MissingDashboard } from './dashboard-assets';

/**
 * The page's Content Security Policy: scripts, styles and API calls from this origin only (Vite's
 * build has no inline script), no framing, no plugins, no base or form targets elsewhere. Styles
 * that the app sets from script (uPlot, Preact's `style`) go through the CSSOM, which CSP allows.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every dashboard answer carries. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// The directory is in the coordinator's log, not on this page, which anyone may load.
const NOT_BUILT_PAGE = Buffer.from(
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Crosscheck: dashboard not built</title></head><body>' +
    '<h1>The dashboard is not built</h1>' +
    '<p>This coordinator found no build of the dashboard (its log says where it looked).</p>' +
    '<p>Build it with <code>npm run build</code> (it builds <code>apps/web</code> into <code>apps/web/dist</code>), or point <code>DASHBOARD_DIR</code> at a build, and restart the coordinator.</p>' +
    '<p>The API answers meanwhile: <a href="docs">docs</a>, <a href="health">health</a>.</p></body></html>',
);

/** Connect-style middleware: the next handler (Nest's router) gets what the dashboard does not answer. */
export type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * Answers `GET`/`HEAD` of the dashboard's files before the API's routes see the request: `/` and
 * `/index.html` (`no-cache`, with the CSP), the hashed `/assets/*` (cached a year, immutable) and
 * the build's root files, compressed when the client takes it. Anything else goes on to the API,
 * so `/v1`, `/health`, `/metrics`, `/docs` and `/status` are never shadowed. Without a build, `/`
 * answers a page saying how to make one.
 */
export function dashboardMiddleware(dashboard: LoadedDashboard | MissingDashboard): Middleware {
  return (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if ('missing' in dashboard) {
      if (path !== '/' && path !== '/index.html') return next();
      response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': NOT_BUILT_PAGE.length, 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
      return;
    }
    const asset = dashboard.files.get(path);
    if (asset === undefined) return next();
    send(request, response, asset, path === '/' || path === '/index.html');
  };
}

function send(request: IncomingMessage, response: ServerResponse, asset: DashboardAsset, isPage: boolean): void {
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    'Content-Type': asset.contentType,
    'Cache-Control': asset.cacheControl,
    ETag: asset.etag,
    Vary: 'Accept-Encoding',
  };
  if (isPage) headers['Content-Security-Policy'] = DASHBOARD_CSP;
  if (matchesEtag(request.headers['if-none-match'], asset.etag)) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  const encoding = chooseEncoding(request.headers['accept-encoding'], asset);
  const body = encoding === 'br' ? asset.brotli! : encoding === 'gzip' ? asset.gzip! : asset.body;
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = body.length;
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Whether `If-None-Match` names the asset's ETag (or `*`). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed === etag || trimmed === `W/${etag}`;
  });
}

/** The best encoding the client accepts (`q=0` refuses one) that the asset has: Brotli, then gzip, else none. */
export function chooseEncoding(header: string | undefined, asset: Pick<DashboardAsset, 'gzip' | 'brotli'>): 'br' | 'gzip' | 'identity' {
  if (header === undefined) return 'identity';
  const accepted = new Set<string>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    if (name && (q === undefined || Number(q) > 0)) accepted.add(name);
  }
  if (asset.brotli && (accepted.has('br') || accepted.has('*'))) return 'br';
  if (asset.gzip && (accepted.has('gzip') || accepted.has('*'))) return 'gzip';
  return 'identity';
}
