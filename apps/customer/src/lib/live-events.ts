import type { QueryClient } from '@tanstack/react-query';
import type { LiveEvent, Order } from '@taproom/web-core/api/contracts';
import { VENUE_QUERY_KEY } from '@taproom/web-core/app/venue-query';
import { LiveStream } from '@taproom/web-core/live/event-stream';
import { queryClient } from './query-client';
import { queryKeys } from './query-keys';
import { session } from './session';

/** Writes what a live event says into the react-query cache. */
export function applyEvent(client: QueryClient, event: LiveEvent): void {
  switch (event.type) {
    case 'order.created':
    case 'order.updated': {
      const order: Order = event.data;
      client.setQueryData(queryKeys.order(order.id), order);
      void client.invalidateQueries({ queryKey: [...queryKeys.orders, 'list'] });
      return;
    }
    case 'menu.updated':
      void client.invalidateQueries({ queryKey: queryKeys.menu });
      return;
    case 'venue.updated':
      void client.invalidateQueries({ queryKey: VENUE_QUERY_KEY });
      return;
    case 'resync':
      void client.invalidateQueries();
      return;
    case 'session.revoked':
      // The session manager has signed out with the reason; nothing to refetch.
      return;
  }
}

/** The live stream of this app, feeding react-query's cache. */
export const liveStream = new LiveStream({
  session,
  onEvent: (event) => {
    applyEvent(queryClient, event);
  },
});
