import type { MonitorStatusView, ResultEntryView } from '@crosscheck/contract';

/** `GET /v1/monitors/{id}/status`: the latest finalized round, region by region (`monitorStatusSchema`). */
export type MonitorStatus = MonitorStatusView;

/** One entry of `GET /v1/monitors/{id}/results` (`resultEntrySchema`). */
export type ResultView = ResultEntryView;
