import { get } from '../api/api-client';
import type { AgentListView, RegionListView } from '../api/api-types';
import { Badge } from '../components/badges';
import { EmptyNote, ErrorNotice } from '../components/error-notice';
import { LiveStamp } from '../components/live-stamp';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { useNow } from '../live/use-now';
import { formatTime, timeAgo } from '../words/format';

const POLL_SECONDS = 5;

function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Regions (live agents, blind ones, their monitors) and every agent (version, heartbeat, checks in flight). */
export function RegionsPage() {
  const now = useNow();
  const state = usePoll(
    async (signal) => {
      const [regions, agents] = await Promise.all([get<RegionListView>('v1/regions', signal), get<AgentListView>('v1/agents', signal)]);
      return { regions, agents };
    },
    POLL_SECONDS * 1_000,
    [],
  );
  const regions = state.data?.regions.items ?? [];
  const agents = [...(state.data?.agents.agents ?? [])].sort((a, b) => a.region.localeCompare(b.region) || a.agentId.localeCompare(b.agentId));
  const blind = regions.filter((region) => region.blind);
  return (
    <>
      <PageTitle title="Regions and agents" />
      <LiveStamp updatedAt={state.updatedAt} error={state.error} everySeconds={POLL_SECONDS} />
      {state.error !== undefined && state.data === undefined && <ErrorNotice error={state.error} />}
      {state.data && (
        <p class={blind.length > 0 ? 'notice notice-error' : 'muted'} role="status">
          {blind.length > 0
            ? `${blind.length} blind region${blind.length === 1 ? '' : 's'} (no live agent; their checks go unanswered, shown missing, never down): ${blind.map((region) => region.name).join(', ')}.`
            : `Every region has a live agent (${regions.length} region${regions.length === 1 ? '' : 's'}, at most ${state.data.regions.maxRegions}).`}
        </p>
      )}
      <section aria-labelledby="regions-heading">
        <h2 id="regions-heading">Regions</h2>
        {state.data && regions.length === 0 && <EmptyNote>No region yet: a monitor naming one, or POST /v1/regions, makes one.</EmptyNote>}
        {regions.length > 0 && (
          <div class="table-wrap">
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">Region</th>
                  <th scope="col">Coverage</th>
                  <th scope="col">Live agents</th>
                  <th scope="col">Monitors</th>
                  <th scope="col">Managed by</th>
                </tr>
              </thead>
              <tbody>
                {regions.map((region) => (
                  <tr key={region.name}>
                    <th scope="row" data-label="Region">
                      {region.name}
                    </th>
                    <td data-label="Coverage">{region.blind ? <Badge tone="bad" icon="✕" label="Blind" /> : <Badge tone="ok" icon="✓" label="Covered" />}</td>
                    <td data-label="Live agents">{region.liveAgents}</td>
                    <td data-label="Monitors">{region.monitorCount}</td>
                    <td data-label="Managed by">{region.managedBy === 'operator' ? 'an operator' : 'its monitors'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="agents-heading">
        <h2 id="agents-heading">Agents</h2>
        {state.data && agents.length === 0 && <EmptyNote>No agent has reported yet.</EmptyNote>}
        {agents.length > 0 && (
          <div class="table-wrap">
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">Region</th>
                  <th scope="col">State</th>
                  <th scope="col">Version</th>
                  <th scope="col">Last heartbeat</th>
                  <th scope="col">In flight</th>
                  <th scope="col">Memory for bodies</th>
                  <th scope="col">Host</th>
                </tr>
              </thead>
              <tbody>
                {agents.map((agent) => (
                  <tr key={`${agent.region}/${agent.agentId}`}>
                    <th scope="row" data-label="Agent">
                      {agent.agentId}
                    </th>
                    <td data-label="Region">{agent.region}</td>
                    <td data-label="State">{agent.live ? <Badge tone="ok" icon="✓" label="Live" /> : <Badge tone="bad" icon="✕" label="Silent" />}</td>
                    <td data-label="Version">{agent.version ?? '—'}</td>
                    <td data-label="Last heartbeat" title={formatTime(agent.lastHeartbeat)}>
                      {timeAgo(agent.lastHeartbeat, now)}
                    </td>
                    <td data-label="In flight">
                      {agent.inFlight ?? '—'}
                      {agent.concurrency !== null ? ` of ${agent.concurrency}` : ''}
                      {agent.waitingForMemory ? ` (${agent.waitingForMemory} waiting for memory)` : ''}
                    </td>
                    <td data-label="Memory for bodies">
                      {formatBytes(agent.memoryReservedBytes)} of {formatBytes(agent.memoryBudgetBytes)}
                    </td>
                    <td data-label="Host">
                      {agent.host ?? '—'}
                      {agent.pid !== null ? ` (pid ${agent.pid})` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
