import type { ChannelRouting, ChannelType } from '@crosscheck/contract';
import type { IssuePath } from './issue-path';
import type { SourcePosition } from './source-locator';

/** The version of the file format this CLI reads and writes. */
export const CONFIG_FILE_VERSION = 1;

/** A region the file keeps (an operator's region, by name). */
export interface DesiredRegion {
  name: string;
  path: IssuePath;
}

/**
 * A monitor as the file declares it: the API body (its `key` included, its `channels` apart),
 * `${VAR}`s filled in.
 */
export interface DesiredMonitor {
  key: string;
  body: Record<string, unknown>;
  /** The channels it names directly, by channel key (resolved to ids when the plan is applied); `[]` when none. */
  channels: string[];
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

/**
 * A notification channel as the file declares it, in the fields the API shows (`GET
 * /v1/channels`), defaults filled in, so that comparing it with the server's is exact: the
 * common fields, `enabled` (a file's addition, as for webhooks), and the type's own settings as
 * the file writes them (`endpointUrl`; `smtp`, `from`, `to`; `url`), secrets left out.
 */
export interface ChannelDocument {
  key: string;
  type: ChannelType;
  name: string;
  description: string | null;
  events: string[];
  routing: ChannelRouting;
  enabled: boolean;
  settings: Record<string, unknown>;
}

export interface DesiredChannel {
  key: string;
  document: ChannelDocument;
  /**
   * Its secrets, filled in from the environment (the file holds only `${NAME}` references), by
   * the path the file writes them at: `routingKey`, `webhookUrl`, `smtp.password`.
   */
  secrets: Record<string, string>;
  path: IssuePath;
}

/**
 * A notification policy as the file declares it, in the fields the API shows, defaults filled
 * in; its channels (and its escalation step's) by channel key, resolved to ids when the plan is
 * applied.
 */
export interface PolicyDocument {
  key: string;
  name: string;
  description: string | null;
  default: boolean;
  enabled: boolean;
  match: { labels: Record<string, string> | null; severities: string[] | null; events: string[] | null };
  channels: string[];
  reminder: { everyMinutes: number } | null;
  escalation: { afterMinutes: number; channels: string[] } | null;
}

export interface DesiredPolicy {
  key: string;
  document: PolicyDocument;
  path: IssuePath;
}

/** The sections a file may have, besides `version` and `$schema`. */
export type ConfigSection = 'regions' | 'monitors' | 'webhooks' | 'channels' | 'policies' | 'statusPages' | 'maintenance';

/** A configuration file, validated and with its variables filled in. */
export interface ConfigFile {
  /** The file as the user named it. */
  file: string;
  regions: DesiredRegion[];
  monitors: DesiredMonitor[];
  webhooks: DesiredWebhook[];
  statusPages: DesiredStatusPage[];
  maintenance: DesiredMaintenance[];
  channels: DesiredChannel[];
  policies: DesiredPolicy[];
  /**
   * Which sections the file has. A section left out is not managed by the file: `--prune` deletes
   * nothing of its type (`monitors: []` is how a file says "no monitors").
   */
  declares: Record<ConfigSection, boolean>;
  /** Where a path is written, for messages about a resource (an issue the server found, a conflict). */
  locate(path: IssuePath): SourcePosition;
}
