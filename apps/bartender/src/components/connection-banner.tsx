import { Alert } from '@mantine/core';
import type { ConnectionState } from '@taproom/web-core/live/event-stream';

/**
 * Loud, full-width and impossible to miss: while the live stream is down new orders may not
 * arrive by themselves (the queue is polled meanwhile and refetched on reconnect).
 */
export function ConnectionBanner({ state }: { state: ConnectionState }) {
  if (state === 'live') return null;
  const connecting = state === 'connecting';
  return (
    <Alert
      color={connecting ? 'gray' : 'red.9'}
      variant={connecting ? 'light' : 'filled'}
      role="alert"
      title={connecting ? 'Connecting to live updates…' : 'Live updates are down'}
      data-testid="connection-banner"
      data-connection={state}
      className={connecting ? undefined : 'connection-down'}
    >
      {connecting
        ? 'The queue is loaded; new orders will appear as they come in.'
        : 'Reconnecting… New orders may be late: the queue is refreshed every few seconds until the connection is back.'}
    </Alert>
  );
}
