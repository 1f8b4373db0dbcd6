import type { ConnectionState } from '@taproom/web-core/live/event-stream';
import { useEffect, useRef } from 'react';
import { OFFLINE_POLL_MS } from '@/config/app-config';
import { onLiveEvent } from '@/lib/live-events';
import { queueStore } from '../stores/queue-store';

/**
 * Keeps the queue current while mounted: live events go into it; each time the stream (re)opens
 * the queue is refetched (replayed events are applied on top by version), and while the stream
 * is down it is refetched every {@link OFFLINE_POLL_MS} so no ticket waits unseen.
 */
export function useQueueSync(connection: ConnectionState): void {
  useEffect(() => {
    const stop = onLiveEvent(queueStore.handleEvent);
    void queueStore.load();
    return () => {
      stop();
      queueStore.reset();
    };
  }, []);

  const previous = useRef<ConnectionState>(connection);
  useEffect(() => {
    const was = previous.current;
    previous.current = connection;
    if (connection === 'live' && was !== 'live') void queueStore.load();
    if (connection === 'live') return undefined;
    const timer = setInterval(() => void queueStore.load(), OFFLINE_POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [connection]);
}
