import type { z } from 'zod';
import type { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import {
  liveChannelSchema,
  liveMaintenanceSchema,
  livePolicySchema,
  liveMonitorSchema,
  liveStatusPageSchema,
  liveWebhookSchema,
  pageSchema,
  readAnswer,
  regionListSchema,
  type LiveChannel,
  type LiveMaintenance,
  type LivePolicy,
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
  /** Every channel, the webhooks among them (`/v1/webhooks` lists those too). */
  channels: LiveChannel[];
  policies: LivePolicy[];
  /** List routes the coordinator does not have (it is older than the resource): it holds none of it, and can take none. */
  absentRoutes?: string[];
}

/** Largest page the list endpoints give. */
const PAGE_LIMIT = 200;

/** Reads every monitor, webhook, channel, policy, status page, maintenance window and region, page by page. */
export async function readLiveState(api: ApiClient): Promise<LiveState> {
  const absentRoutes: string[] = [];
  /** A coordinator older than a resource has none of it (its list route is a 404). */
  const noneWhenUnknown =
    (route: string) =>
    (error: unknown): never[] => {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      absentRoutes.push(route);
      return [];
    };
  const [monitors, webhooks, regions, statusPages, maintenance, channels, policies] = await Promise.all([
    readAllPages(api, '/v1/monitors', liveMonitorSchema),
    readAllPages(api, '/v1/webhooks', liveWebhookSchema),
    api.get<unknown>('/v1/regions').then((answer) => readAnswer(regionListSchema, answer.body, 'GET /v1/regions').items),
    readAllPages(api, '/v1/status-pages', liveStatusPageSchema).catch(noneWhenUnknown('/v1/status-pages')),
    readAllPages(api, '/v1/maintenance', liveMaintenanceSchema).catch(noneWhenUnknown('/v1/maintenance')),
    readAllPages(api, '/v1/channels', liveChannelSchema).catch(noneWhenUnknown('/v1/channels')),
    readAllPages(api, '/v1/policies', livePolicySchema).catch(noneWhenUnknown('/v1/policies')),
  ]);
  return { monitors, webhooks, regions, statusPages, maintenance, channels, policies, ...(absentRoutes.length > 0 ? { absentRoutes: absentRoutes.sort() } : {}) };
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
