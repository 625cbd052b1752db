import { CachingEdge } from './caching-edge';
import { LoadBalancer } from './load-balancer';
import { freeCommonPort } from './loopback-server';
import { OriginSite } from './origin-site';

/** The regions the demo runs one agent in, each reaching the sites through its own path. */
export const DEMO_REGIONS = ['eu-west', 'us-east', 'ap-south'] as const;
/** One of {@link DEMO_REGIONS}. */
export type DemoRegion = (typeof DEMO_REGIONS)[number];
/** The regions whose shop traffic goes through an edge (each its own POP). */
export const EDGE_REGIONS = ['eu-west', 'us-east'] as const;
/** One of {@link EDGE_REGIONS}. */
export type EdgeRegion = (typeof EDGE_REGIONS)[number];

/** The sites of the world, by short name. */
export const DEMO_SITES = ['www', 'shop', 'api'] as const;
/** One of {@link DEMO_SITES}. */
export type DemoSite = (typeof DEMO_SITES)[number];

/** Host names of the sites. No DNS: agents reach them through `host:port:address` overrides. */
export const DEMO_HOSTS: Readonly<Record<DemoSite, string>> = {
  www: 'www.demo.test',
  shop: 'shop.demo.test',
  api: 'api.demo.test',
};

/** Last octet of each server's loopback address (`<subnet>.<octet>`). */
export const WORLD_ADDRESS_OCTETS = {
  www: 11,
  shopOrigin: 21,
  edgeEuWest: 22,
  edgeUsEast: 23,
  lb: 31,
  apiBackendA: 32,
  apiBackendB: 33,
} as const;

/** Options of a {@link World}. */
export interface WorldOptions {
  /** First three octets of the loopback addresses, e.g. `127.0.0` (default) or `127.42.0`. */
  subnet?: string;
  /** The one port every server listens on; default a port free on all their addresses. */
  port?: number;
  /** `max-age` of the shop's home page, i.e. how long edges keep it fresh. Default 10 s. */
  shopMaxAgeSeconds?: number;
  /** Interval of the load balancer's health checks. Default 1000 ms. */
  lbHealthCheckIntervalMs?: number;
  /** Deadline of the edges' origin requests. Default 5000 ms. */
  edgeOriginTimeoutMs?: number;
}

/** A monitor the demo registers, as the coordinator's `POST /v1/monitors` takes it (minus regions and interval). */
export interface DemoMonitor {
  site: DemoSite;
  name: string;
  url: string;
  /** The rest of the monitor spec (`expect`, ...). */
  spec: Record<string, unknown>;
  /** What this site shows, in one line. */
  story: string;
}

/**
 * A small world of lying targets on loopback, one port, several addresses:
 *
 * | host            | eu-west              | us-east              | ap-south             |
 * | --------------- | -------------------- | -------------------- | -------------------- |
 * | www.demo.test   | origin `.11`         | origin `.11`         | origin `.11`         |
 * | shop.demo.test  | edge POP eu `.22`    | edge POP us `.23`    | shop origin `.21`    |
 * | api.demo.test   | load balancer `.31`  | load balancer `.31`  | load balancer `.31`  |
 *
 * The edges cache the shop origin (and serve it stale when it fails); the load balancer spreads
 * api requests over two backends (`.32`, `.33`) and serves HAProxy's 503 page with status 200
 * when none is healthy. {@link World.resolveFor} gives each region's `RESOLVE` routes.
 */
export class World {
  /** The healthy site, reached directly from every region. */
  readonly www: OriginSite;
  /** The shop's origin, behind the edges (and reached directly from ap-south). */
  readonly shop: OriginSite;
  /** The edge POP of each edge region, in front of the shop origin. */
  readonly edges: Readonly<Record<EdgeRegion, CachingEdge>>;
  /** The api's load balancer. */
  readonly lb: LoadBalancer;
  /** The api's backends, behind the load balancer. */
  readonly apiBackends: readonly OriginSite[];
  /** The port every server of the world listens on. */
  readonly port: number;
  /** First three octets of the world's addresses. */
  readonly subnet: string;

  private constructor(subnet: string, port: number, options: WorldOptions) {
    this.subnet = subnet;
    this.port = port;
    const at = (octet: number): string => `${subnet}.${octet}`;
    this.www = new OriginSite({ host: at(WORLD_ADDRESS_OCTETS.www), port, name: 'www', title: 'Acme Widgets' });
    this.shop = new OriginSite({
      host: at(WORLD_ADDRESS_OCTETS.shopOrigin),
      port,
      name: 'shop-origin',
      title: 'Acme Shop',
      maxAgeSeconds: options.shopMaxAgeSeconds ?? 10,
    });
    const edgeOptions = { port, origin: this.shop.origin, originTimeoutMs: options.edgeOriginTimeoutMs ?? 5_000 };
    this.edges = {
      'eu-west': new CachingEdge({ ...edgeOptions, host: at(WORLD_ADDRESS_OCTETS.edgeEuWest), pop: 'eu-west' }),
      'us-east': new CachingEdge({ ...edgeOptions, host: at(WORLD_ADDRESS_OCTETS.edgeUsEast), pop: 'us-east' }),
    };
    this.apiBackends = [
      new OriginSite({ host: at(WORLD_ADDRESS_OCTETS.apiBackendA), port, name: 'api-a', title: 'Acme API' }),
      new OriginSite({ host: at(WORLD_ADDRESS_OCTETS.apiBackendB), port, name: 'api-b', title: 'Acme API' }),
    ];
    this.lb = new LoadBalancer({
      host: at(WORLD_ADDRESS_OCTETS.lb),
      port,
      backends: this.apiBackends.map((backend) => ({ host: backend.host, port })),
      healthCheckIntervalMs: options.lbHealthCheckIntervalMs ?? 1_000,
    });
  }

  /** Creates the world on a port free on all its addresses and starts every server. */
  static async start(options: WorldOptions = {}): Promise<World> {
    const subnet = options.subnet ?? '127.0.0';
    if (!/^127\.\d{1,3}\.\d{1,3}$/.test(subnet)) throw new Error(`subnet must look like 127.x.y, got ${JSON.stringify(subnet)}`);
    const hosts = Object.values(WORLD_ADDRESS_OCTETS).map((octet) => `${subnet}.${octet}`);
    const port = options.port ?? (await freeCommonPort(hosts));
    const world = new World(subnet, port, options);
    try {
      await Promise.all([world.www.start(), world.shop.start(), ...world.apiBackends.map((backend) => backend.start())]);
      await Promise.all([world.edges['eu-west'].start(), world.edges['us-east'].start(), world.lb.start()]);
    } catch (error) {
      await world.stop();
      throw error;
    }
    return world;
  }

  /** The URL users (and monitors) use for a site. */
  urlOf(site: DemoSite, path = '/'): string {
    return `http://${DEMO_HOSTS[site]}:${this.port}${path}`;
  }

  /** Where a region's traffic for a site lands (a loopback address of this world). */
  addressFor(region: DemoRegion, site: DemoSite): string {
    if (site === 'www') return this.www.host;
    if (site === 'api') return this.lb.host;
    return region === 'ap-south' ? this.shop.host : this.edges[region].host;
  }

  /** A region's routes, curl-style `host:port:address`, for the agent's `RESOLVE` variable. */
  resolveFor(region: DemoRegion): string[] {
    return DEMO_SITES.map((site) => `${DEMO_HOSTS[site]}:${this.port}:${this.addressFor(region, site)}`);
  }

  /** The monitors the demo registers: one per site. */
  monitors(): DemoMonitor[] {
    return [
      {
        site: 'www',
        name: 'www: healthy site',
        url: this.urlOf('www', '/health'),
        spec: {},
        story: 'reached directly from every region; try `www slow 4000`, `www degraded`, `www unhealthy`, `www down`',
      },
      {
        site: 'shop',
        name: 'shop: behind a caching edge',
        url: this.urlOf('shop'),
        spec: { expect: { body: { contains: [this.shop.marker] } } },
        story: 'eu-west and us-east go through caching edges, ap-south straight to the origin; try `origin down`, `edge down`',
      },
      {
        site: 'api',
        name: 'api: behind a load balancer',
        url: this.urlOf('api', '/health'),
        spec: {},
        story: 'every region goes through an HAProxy-like balancer over two backends; try `lb down`',
      },
    ];
  }

  /** The shop's origin dies (port closed); the edges keep serving their cached copy. */
  originDown(): Promise<void> {
    return this.shop.down();
  }

  /** The shop's origin is back, healthy and fast. */
  originUp(): Promise<void> {
    return this.shop.up();
  }

  /** Every api backend dies: the load balancer serves its 503 page with status 200. */
  async lbBackendsDown(): Promise<void> {
    await Promise.all(this.apiBackends.map((backend) => backend.down()));
  }

  /** Every api backend is back; the balancer notices at its next health check. */
  async lbBackendsUp(): Promise<void> {
    await Promise.all(this.apiBackends.map((backend) => backend.up()));
    await this.lb.checkNow();
  }

  /** One edge POP dies (port closed): its region cannot reach the shop. */
  edgeDown(region: EdgeRegion = 'eu-west'): Promise<void> {
    return this.edges[region].stop();
  }

  /** The edge POP is back (with its cache). */
  edgeUp(region: EdgeRegion = 'eu-west'): Promise<void> {
    return this.edges[region].start();
  }

  /** Everything up, healthy and fast again (caches kept). */
  async reset(): Promise<void> {
    await Promise.all([this.www.up(), this.shop.up(), ...this.apiBackends.map((backend) => backend.up())]);
    await Promise.all([this.edges['eu-west'].start(), this.edges['us-east'].start(), this.lb.start()]);
    await this.lb.checkNow();
  }

  /** The state of every server, one line each. */
  describe(): string[] {
    const state = (listening: boolean): string => (listening ? 'up' : 'down');
    const backends = this.lb.backends.map((backend) => `${backend.host} ${backend.healthy ? 'healthy' : 'DOWN'}`).join(', ');
    return [
      `${'www origin'.padEnd(18)}${this.www.host}:${this.port}  ${this.www.describe()}`,
      `${'shop origin'.padEnd(18)}${this.shop.host}:${this.port}  ${this.shop.describe()}`,
      ...EDGE_REGIONS.map((region) => {
        const edge = this.edges[region];
        const stats = edge.stats;
        return `${`shop edge ${region}`.padEnd(18)}${edge.host}:${this.port}  ${state(edge.listening)} (HIT ${stats.HIT}, MISS ${stats.MISS}, STALE ${stats.STALE})`;
      }),
      `${'api balancer'.padEnd(18)}${this.lb.host}:${this.port}  ${state(this.lb.listening)} (backends: ${backends}; own error pages served: ${this.lb.errorPagesServed})`,
      ...this.apiBackends.map((backend) => `${'api backend'.padEnd(18)}${backend.host}:${this.port}  ${backend.describe()}`),
    ];
  }

  /** Stops every server. */
  async stop(): Promise<void> {
    await Promise.all([this.edges['eu-west'].stop(), this.edges['us-east'].stop(), this.lb.stop()]);
    await Promise.all([this.www.stop(), this.shop.stop(), ...this.apiBackends.map((backend) => backend.stop())]);
  }
}
