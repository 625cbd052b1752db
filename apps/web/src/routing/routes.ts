/**
 * The dashboard's pages, addressed by the URL's fragment (`#/monitors/mon_…`): the coordinator only
 * ever serves `/` and `/assets/*`, and the fragment never reaches a server or a log.
 */
export type Route =
  | { page: 'monitors'; filters: MonitorFilters }
  | { page: 'monitor'; id: string }
  | { page: 'monitor-new' }
  | { page: 'monitor-edit'; id: string }
  | { page: 'incidents'; state: 'open' | 'resolved' | 'all' }
  | { page: 'incident'; id: string }
  | { page: 'regions' }
  | { page: 'webhooks' }
  | { page: 'webhook'; id: string }
  | { page: 'channels' }
  | { page: 'channel'; id: string }
  | { page: 'policies' }
  | { page: 'not-found'; path: string };

/** The grid's filters, kept in the fragment so a filtered view can be bookmarked or shared. */
export interface MonitorFilters {
  /** Part of the name, URL or key, any case. */
  q: string;
  classification: string;
  region: string;
}

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** The route a fragment names (`#/incidents?state=open`); an unknown one is `not-found`. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', search = ''] = raw.split('?', 2);
  const path = pathPart.replace(/\/+$/, '') || '/';
  const params = new URLSearchParams(search);
  const parts = path.split('/').filter((part) => part !== '');
  const id = parts[1] !== undefined && SEGMENT.test(parts[1]) ? parts[1] : undefined;
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'monitors')) {
    return { page: 'monitors', filters: { q: params.get('q') ?? '', classification: params.get('classification') ?? '', region: params.get('region') ?? '' } };
  }
  switch (parts[0]) {
    case 'monitors':
      if (parts.length === 2 && parts[1] === 'new') return { page: 'monitor-new' };
      if (parts.length === 2 && id) return { page: 'monitor', id };
      if (parts.length === 3 && id && parts[2] === 'edit') return { page: 'monitor-edit', id };
      break;
    case 'incidents': {
      if (parts.length === 1) {
        const state = params.get('state');
        return { page: 'incidents', state: state === 'resolved' || state === 'all' ? state : 'open' };
      }
      if (parts.length === 2 && id) return { page: 'incident', id };
      break;
    }
    case 'regions':
      if (parts.length === 1) return { page: 'regions' };
      break;
    case 'webhooks':
      if (parts.length === 1) return { page: 'webhooks' };
      if (parts.length === 2 && id) return { page: 'webhook', id };
      break;
    case 'channels':
      if (parts.length === 1) return { page: 'channels' };
      if (parts.length === 2 && id) return { page: 'channel', id };
      break;
    case 'policies':
      if (parts.length === 1) return { page: 'policies' };
      break;
  }
  return { page: 'not-found', path };
}

/** The fragment of a route, `#/…`, for links. */
export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'monitors': {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(route.filters)) if (value !== '') params.set(name, value);
      const search = params.toString();
      return `#/monitors${search === '' ? '' : `?${search}`}`;
    }
    case 'monitor':
      return `#/monitors/${encodeURIComponent(route.id)}`;
    case 'monitor-new':
      return '#/monitors/new';
    case 'monitor-edit':
      return `#/monitors/${encodeURIComponent(route.id)}/edit`;
    case 'incidents':
      return route.state === 'open' ? '#/incidents' : `#/incidents?state=${route.state}`;
    case 'incident':
      return `#/incidents/${encodeURIComponent(route.id)}`;
    case 'regions':
      return '#/regions';
    case 'webhooks':
      return '#/webhooks';
    case 'webhook':
      return `#/webhooks/${encodeURIComponent(route.id)}`;
    case 'channels':
      return '#/channels';
    case 'channel':
      return `#/channels/${encodeURIComponent(route.id)}`;
    case 'policies':
      return '#/policies';
    case 'not-found':
      return `#${route.path}`;
  }
}

/** Shorthands for the links pages make. */
export const links = {
  monitors: (filters: Partial<MonitorFilters> = {}) => hrefOf({ page: 'monitors', filters: { q: '', classification: '', region: '', ...filters } }),
  monitor: (id: string) => hrefOf({ page: 'monitor', id }),
  newMonitor: () => hrefOf({ page: 'monitor-new' }),
  editMonitor: (id: string) => hrefOf({ page: 'monitor-edit', id }),
  incidents: (state: 'open' | 'resolved' | 'all' = 'open') => hrefOf({ page: 'incidents', state }),
  incident: (id: string) => hrefOf({ page: 'incident', id }),
  regions: () => hrefOf({ page: 'regions' }),
  webhooks: () => hrefOf({ page: 'webhooks' }),
  webhook: (id: string) => hrefOf({ page: 'webhook', id }),
  channels: () => hrefOf({ page: 'channels' }),
  channel: (id: string) => hrefOf({ page: 'channel', id }),
  policies: () => hrefOf({ page: 'policies' }),
};
