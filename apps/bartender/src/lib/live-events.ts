import type { LiveEvent } from '@taproom/web-core/api/contracts';
import { LiveStream } from '@taproom/web-core/live/event-stream';
import { queryClient } from './query-client';
import { queryKeys } from './query-keys';
import { session } from './session';

type Listener = (event: LiveEvent) => void;
const listeners = new Set<Listener>();

/** Lets a feature hear every live event; returns the unsubscribe. */
export function onLiveEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The bar's live stream: menu changes refetch the menu, everything goes to the listeners. */
export const liveStream = new LiveStream({
  session,
  onEvent: (event) => {
    if (event.type === 'menu.updated' || event.type === 'resync') {
      void queryClient.invalidateQueries({ queryKey: queryKeys.menu });
    }
    for (const listener of listeners) listener(event);
  },
});
