import type { INestApplication } from '@nestjs/common';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { loadDashboard } from './dashboard-assets';
import { dashboardMiddleware } from './dashboard-middleware';

/**
 * Where the monorepo builds the dashboard (`apps/web/dist`), seen from this file in
 * `apps/coordinator/dist/dashboard/` (or `src/dashboard/` under the tests): the Docker image keeps
 * the same layout.
 */
export const DEFAULT_DASHBOARD_DIR = resolve(__dirname, '..', '..', '..', 'web', 'dist');

/**
 * Serves the built dashboard at `/` ahead of the API's routes (read once, at boot). A missing
 * build is not fatal: the API works without it, the log says where the build was looked for, and
 * `/` answers a page saying how to build it.
 */
export function mountDashboard(app: INestApplication, dir: string | undefined, logger: Logger): void {
  const dashboard = loadDashboard(dir ?? DEFAULT_DASHBOARD_DIR);
  const log = logger.child({ component: 'dashboard' });
  if ('missing' in dashboard) {
    log.warn({ dir: dashboard.dir, missing: dashboard.missing }, 'dashboard not built (run `npm run build`, or set DASHBOARD_DIR): / answers a page that says so');
  } else {
    const bytes = [...new Set(dashboard.files.values())].reduce((total, asset) => total + asset.body.length, 0);
    log.info({ dir: dashboard.dir, files: dashboard.files.size - 1, bytes }, 'dashboard served at /');
    if (dashboard.skipped.length > 0) log.warn({ skipped: dashboard.skipped }, "dashboard files left out: their paths are the API's");
  }
  app.use(dashboardMiddleware(dashboard));
}
