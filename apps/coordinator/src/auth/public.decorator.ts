import { SetMetadata } from '@nestjs/common';

/** Metadata key marking a route that needs no bearer token. */
export const IS_PUBLIC = 'crosscheck:public';

/** Marks a controller or route as open to anyone (health only): everything else needs the token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Metadata key marking a route that does its own authentication, outside the API's tokens and rate limits. */
export const OWN_AUTHENTICATION = 'crosscheck:own-authentication';

/**
 * Marks a route the bearer guard leaves alone entirely (no API token, no rate limit): `/metrics`,
 * which a scraper calls every few seconds with its own credential (`METRICS_TOKEN`), checked by the route.
 */
export const OwnAuthentication = () => SetMetadata(OWN_AUTHENTICATION, true);
