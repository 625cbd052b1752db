import type { ChannelType } from '../api/api-types';
import { CHANNEL_TYPE_WORDS } from '../words/channel-words';

/** A channel's type: its icon (decoration) and its name. */
export function ChannelTypeLabel({ type }: { type: ChannelType }) {
  const words = CHANNEL_TYPE_WORDS[type] ?? { icon: '?', label: type };
  return (
    <span class={`channel-type channel-type-${type}`}>
      <span class="channel-type-icon" aria-hidden="true">
        {words.icon}
      </span>
      {words.label}
    </span>
  );
}
