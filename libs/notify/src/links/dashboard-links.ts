/** Where a person goes from a notification: the dashboard's incident and monitor pages. */
export interface DashboardLinks {
  /** `<dashboardUrl>/#/incidents/<id>`; absent without a dashboard URL or an incident. */
  incident?: string;
  /** `<dashboardUrl>/#/monitors/<id>`. */
  monitor?: string;
}

/** Options every renderer takes. */
export interface RenderOptions {
  /** The dashboard's base URL (`https://crosscheck.example.com`); without it, messages carry no links. */
  dashboardUrl?: string;
}

/**
 * The dashboard's fragment routes (apps/web/src/routing/routes.ts) for an incident and a monitor.
 * Ids are encoded as path segments, so an odd id can never add a query or a fragment of its own.
 */
export function dashboardLinks(options: RenderOptions, ids: { incidentId?: string | null; monitorId?: string | null }): DashboardLinks {
  if (!options.dashboardUrl) return {};
  const base = options.dashboardUrl.replace(/\/+$/, '');
  return {
    ...(ids.incidentId ? { incident: `${base}/#/incidents/${encodeURIComponent(ids.incidentId)}` } : {}),
    ...(ids.monitorId ? { monitor: `${base}/#/monitors/${encodeURIComponent(ids.monitorId)}` } : {}),
  };
}
