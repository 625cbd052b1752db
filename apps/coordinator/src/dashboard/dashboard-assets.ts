import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

/** Paths of the API and the coordinator's own pages: a built file never shadows them. */
export const RESERVED_PREFIXES = ['/v1', '/health', '/metrics', '/docs', '/status'] as const;

/** The page itself: always revalidated, so a new build is picked up at once. */
export const INDEX_CACHE_CONTROL = 'no-cache';
/** Vite's hashed files under `assets/`: a new build gives new names, so they never change. */
export const HASHED_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Other files at the root of the build (an icon): short, they keep their names. */
const ROOT_FILE_CACHE_CONTROL = 'public, max-age=3600';

/** Files larger than this are also kept compressed (when that makes them smaller). */
const COMPRESS_ABOVE_BYTES = 1_024;
/** Largest file the coordinator keeps in memory; the dashboard's are tens of KiB. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** One built file, ready to answer: its bytes, compressed variants and headers. */
export interface DashboardAsset {
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly brotli: Buffer | null;
  readonly contentType: string;
  readonly cacheControl: string;
  /** A strong validator: the content's SHA-256, shortened. */
  readonly etag: string;
}

/** The built dashboard in memory, by URL path (`/`, `/assets/index-3f9c.js`). */
export interface LoadedDashboard {
  readonly dir: string;
  readonly files: ReadonlyMap<string, DashboardAsset>;
  /** Files of the build left out because their path is the API's (see {@link RESERVED_PREFIXES}). */
  readonly skipped: readonly string[];
}

/** Why there is no dashboard to serve. */
export interface MissingDashboard {
  readonly dir: string;
  readonly missing: string;
}

/**
 * Reads a Vite build (`index.html`, hashed files under `assets/`, a few root files) into memory
 * once, at boot, with a gzip and a Brotli copy of each compressible file. Serving from a map of
 * the files found means a request path is looked up, never joined onto the file system.
 */
export function loadDashboard(dir: string): LoadedDashboard | MissingDashboard {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return { dir, missing: `${index} does not exist` };
  const files = new Map<string, DashboardAsset>();
  const skipped: string[] = [];
  for (const file of walk(dir)) {
    const path = `/${relative(dir, file).split(sep).join('/')}`;
    if (RESERVED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}.`))) {
      skipped.push(path);
      continue;
    }
    const isIndex = path === '/index.html';
    const cacheControl = isIndex ? INDEX_CACHE_CONTROL : path.startsWith('/assets/') ? HASHED_CACHE_CONTROL : ROOT_FILE_CACHE_CONTROL;
    const asset = assetOf(readFileSync(file), CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', cacheControl);
    files.set(path, asset);
    if (isIndex) files.set('/', asset);
  }
  return { dir, files, skipped };
}

function assetOf(body: Buffer, contentType: string, cacheControl: string): DashboardAsset {
  const compressible = body.length > COMPRESS_ABOVE_BYTES && /^(text\/|application\/json|image\/svg)/.test(contentType);
  const smaller = (compressed: Buffer): Buffer | null => (compressed.length < body.length ? compressed : null);
  return {
    body,
    gzip: compressible ? smaller(gzipSync(body, { level: 9 })) : null,
    brotli: compressible ? smaller(brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } })) : null,
    contentType,
    cacheControl,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
  };
}

/** Every regular file under `dir`, depth first; dot files and oversized files left out. */
function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() && statSync(path).size <= MAX_FILE_BYTES) yield path;
  }
}
