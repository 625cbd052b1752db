import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentMetrics, type AgentMetricsSource } from './agent-metrics';

/** The agent's `/metrics` server, listening. */
export interface MetricsServer {
  /** The metrics it serves: pass as the agent's check observer. */
  metrics: AgentMetrics;
  /** The port it listens on (the one asked for, or the one given for port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the agent's metrics in Prometheus' text format at `GET /metrics` (404 elsewhere, 405 for
 * other methods) on `host:port`. A tiny node:http server: the agent has no web framework.
 */
export async function startMetricsServer(source: AgentMetricsSource, listen: { port: number; host: string }): Promise<MetricsServer> {
  const metrics = new AgentMetrics(source);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: the agent serves /metrics only\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics could not be collected: ${(error as Error).message}\n`);
      },
    );
  });
  // Scrapers keep connections open; a stopping agent should not wait for them.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    metrics,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        metrics.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
