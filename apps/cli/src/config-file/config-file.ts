import type { IssuePath } from './issue-path';
import type { SourcePosition } from './source-locator';

/** The version of the file format this CLI reads and writes. */
export const CONFIG_FILE_VERSION = 1;

/** A region the file keeps (an operator's region, by name). */
export interface DesiredRegion {
  name: string;
  path: IssuePath;
}

/** A monitor as the file declares it: the API body (its `key` included), `${VAR}`s filled in. */
export interface DesiredMonitor {
  key: string;
  body: Record<string, unknown>;
  path: IssuePath;
}

/** The whole document a webhook PATCH takes, defaults filled in, so the file says everything. */
export interface WebhookDocument {
  key: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
}

export interface DesiredWebhook {
  key: string;
  document: WebhookDocument;
  path: IssuePath;
}

/**
 * A status page as the file declares it: its monitors by monitor key (a monitor created without a
 * key by its id), resolved to ids when the plan is applied.
 */
export interface StatusPageDocument {
  key: string;
  slug: string;
  title: string;
  description: string | null;
  monitors: string[];
}

export interface DesiredStatusPage {
  key: string;
  document: StatusPageDocument;
  path: IssuePath;
}

/**
 * A maintenance window as the file declares it, in the order the API compares it: its monitors by
 * key (`monitors`, resolved to ids when the plan is applied) or `labels`; a one-off window by
 * `startsAt`/`endsAt` (a `durationMinutes` of the file already turned into `endsAt`), a recurring
 * one by `startsAt`, `durationMinutes` and `rrule` or `cron`. Times are ISO 8601 in UTC.
 */
export interface MaintenanceDocument {
  key: string;
  monitors?: string[];
  labels?: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  durationMinutes?: number;
  rrule?: string;
  cron?: string;
  reason: string;
}

export interface DesiredMaintenance {
  key: string;
  document: MaintenanceDocument;
  path: IssuePath;
}

/** A configuration file, validated and with its variables filled in. */
export interface ConfigFile {
  /** The file as the user named it. */
  file: string;
  regions: DesiredRegion[];
  monitors: DesiredMonitor[];
  webhooks: DesiredWebhook[];
  statusPages: DesiredStatusPage[];
  maintenance: DesiredMaintenance[];
  /**
   * Which sections the file has. A section left out is not managed by the file: `--prune` deletes
   * nothing of its type (`monitors: []` is how a file says "no monitors").
   */
  declares: Record<'regions' | 'monitors' | 'webhooks' | 'statusPages' | 'maintenance', boolean>;
  /** Where a path is written, for messages about a resource (an issue the server found, a conflict). */
  locate(path: IssuePath): SourcePosition;
}
