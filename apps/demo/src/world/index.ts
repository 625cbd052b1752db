/**
 * A local world of lying targets (node:http only, loopback only), for the demo and for
 * end-to-end suites: an origin with failure modes, a caching edge that serves stale content, a
 * load balancer that answers its error page with status 200, and a `World` composing them.
 */
export * from './loopback-server';
export * from './origin-site';
export * from './caching-edge';
export * from './load-balancer';
export * from './world';
export * from './http-get';
