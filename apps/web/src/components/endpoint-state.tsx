import type { DeliveryEndpointView } from '../api/api-types';
import { formatTime } from '../words/format';
import { Badge } from './badges';

/** An endpoint's health (a webhook or a channel), in words: disabled, circuit open, failing, or fine. */
export function EndpointState({ endpoint }: { endpoint: DeliveryEndpointView }) {
  if (!endpoint.enabled) return <Badge tone="bad" icon="✕" label="Disabled" />;
  if (endpoint.circuit === 'open') return <Badge tone="bad" icon="‖" label="Circuit open" />;
  if (endpoint.circuit === 'half_open') return <Badge tone="warn" icon="!" label="Probing" />;
  if (endpoint.consecutiveFailures > 0) return <Badge tone="warn" icon="!" label={`${endpoint.consecutiveFailures} failing`} />;
  return <Badge tone="ok" icon="✓" label="Delivering" />;
}

/** The circuit and, when it is disabled, since when and why: the `<div>`s of a `dl.facts`. */
export function EndpointFacts({ endpoint }: { endpoint: DeliveryEndpointView }) {
  return (
    <>
      <div>
        <dt>Circuit</dt>
        <dd>
          {endpoint.circuit.replace('_', ' ')}, {endpoint.consecutiveFailures} failed attempts since the last success
          {endpoint.failingSince ? `, failing since ${formatTime(endpoint.failingSince)}` : ''}
        </dd>
      </div>
      {endpoint.disabledReason && (
        <div>
          <dt>Disabled</dt>
          <dd>
            {formatTime(endpoint.disabledAt)}: {endpoint.disabledReason}
          </dd>
        </div>
      )}
    </>
  );
}
