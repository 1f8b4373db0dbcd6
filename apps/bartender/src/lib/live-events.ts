import type { LiveEvent } from '@taproom/web-core/api/contracts';
import { VENUE_QUERY_KEY } from '@taproom/web-core/app/venue-query';
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

/**
 * The bar's live stream: menu and venue changes refetch them, everything goes to the listeners.
 */
export const liveStream = new LiveStream({
  session,
  onEvent: (event) => {
    if (event.type === 'menu.updated' || event.type === 'resync') {
      void queryClient.invalidateQueries({ queryKey: queryKeys.menu });
    }
    if (event.type === 'venue.updated' || event.type === 'resync') {
      void queryClient.invalidateQueries({ queryKey: VENUE_QUERY_KEY });
    }
    for (const listener of listeners) listener(event);
  },
});
