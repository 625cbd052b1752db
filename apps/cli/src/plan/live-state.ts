import type { z } from 'zod';
import type { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import {
  liveMaintenanceSchema,
  liveMonitorSchema,
  liveStatusPageSchema,
  liveWebhookSchema,
  pageSchema,
  readAnswer,
  regionListSchema,
  type LiveMaintenance,
  type LiveMonitor,
  type LiveRegion,
  type LiveStatusPage,
  type LiveWebhook,
} from '../api/wire-shapes';

/** What the server holds of the resources a file can declare. */
export interface LiveState {
  monitors: LiveMonitor[];
  webhooks: LiveWebhook[];
  regions: LiveRegion[];
  statusPages: LiveStatusPage[];
  maintenance: LiveMaintenance[];
}

/** Largest page the list endpoints give. */
const PAGE_LIMIT = 200;

/** Reads every monitor, webhook, status page, maintenance window and region, page by page. */
export async function readLiveState(api: ApiClient): Promise<LiveState> {
  const [monitors, webhooks, regions, statusPages, maintenance] = await Promise.all([
    readAllPages(api, '/v1/monitors', liveMonitorSchema),
    readAllPages(api, '/v1/webhooks', liveWebhookSchema),
    api.get<unknown>('/v1/regions').then((answer) => readAnswer(regionListSchema, answer.body, 'GET /v1/regions').items),
    readAllPages(api, '/v1/status-pages', liveStatusPageSchema).catch(noneWhenUnknown),
    readAllPages(api, '/v1/maintenance', liveMaintenanceSchema).catch(noneWhenUnknown),
  ]);
  return { monitors, webhooks, regions, statusPages, maintenance };
}

/** A coordinator older than a resource has none of it (its list route is a 404). */
function noneWhenUnknown(error: unknown): never[] {
  if (error instanceof ApiError && error.status === 404) return [];
  throw error;
}

async function readAllPages<T extends z.ZodType>(api: ApiClient, path: string, item: T): Promise<z.infer<T>[]> {
  const items: z.infer<T>[] = [];
  let cursor: string | undefined;
  do {
    const answer = await api.get<unknown>(path, { limit: PAGE_LIMIT, cursor });
    const page = readAnswer(pageSchema(item), answer.body, `GET ${path}`);
    items.push(...(page.items as z.infer<T>[]));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}
