import { Badge } from '@mantine/core';
import type { ConnectionState } from '../live/event-stream';

const LOOK: Record<ConnectionState, { label: string; color: string }> = {
  live: { label: 'Live', color: 'green' },
  connecting: { label: 'Connecting…', color: 'gray' },
  reconnecting: { label: 'Reconnecting…', color: 'yellow' },
  offline: { label: 'Offline', color: 'gray' },
};

/** Whether live updates are flowing; announced politely to screen readers when it changes. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const { label, color } = LOOK[state];
  return (
    <Badge
      color={color}
      variant={state === 'live' ? 'filled' : 'light'}
      role="status"
      aria-live="polite"
      aria-label={`Live updates: ${label}`}
      data-connection={state}
    >
      {label}
    </Badge>
  );
}
