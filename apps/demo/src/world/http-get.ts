import * as http from 'node:http';

/** What {@link httpGet} read. */
export interface HttpGetResult {
  status: number;
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
  ms: number;
}

/** Options of {@link httpGet}. */
export interface HttpGetOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Hard deadline, connect to last byte. Default 5000 ms. */
  timeoutMs?: number;
  /** Connect here instead of the URL's host and port (curl's `--resolve`); `Host` keeps the URL's. */
  connectTo?: { host: string; port?: number };
}

/**
 * One HTTP request over a fresh connection (no keep-alive pool that would hide a stopped server),
 * read whole. Rejects on socket errors (`ECONNREFUSED`, ...) and on timeout.
 */
export function httpGet(url: string, options: HttpGetOptions = {}): Promise<HttpGetResult> {
  const target = new URL(url);
  const method = options.method ?? 'GET';
  const timeoutMs = options.timeoutMs ?? 5_000;
  const started = Date.now();
  const port = options.connectTo?.port ?? (target.port === '' ? 80 : Number(target.port));
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: options.connectTo?.host ?? target.hostname,
        port,
        method,
        path: `${target.pathname}${target.search}`,
        headers: { host: target.host, ...options.headers },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', reject);
        response.once('end', () => {
          clearTimeout(timer);
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started });
        });
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)), timeoutMs);
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(options.body);
  });
}
