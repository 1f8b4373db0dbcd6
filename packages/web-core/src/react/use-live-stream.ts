import { useEffect, useSyncExternalStore } from 'react';
import type { ConnectionState, LiveStream } from '../live/event-stream';

/** Keeps the live stream open while `enabled` (signed in) and returns its connection state. */
export function useLiveStream(stream: LiveStream, enabled: boolean): ConnectionState {
  useEffect(() => {
    if (!enabled) return undefined;
    stream.start();
    return () => {
      stream.stop();
    };
  }, [stream, enabled]);
  return useSyncExternalStore(stream.subscribe, stream.getState, stream.getState);
}
