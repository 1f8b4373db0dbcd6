import type { LiveEvent } from '@taproom/web-core/api/contracts';
import { VENUE_QUERY_KEY } from '@taproom/web-core/app/venue-query';
import { LiveStream } from '@taproom/web-core/live/event-stream';
import { queryClient } from './query-client';
import { queryKeys } from './query-keys';
import { session } from './session';

function applyEvent(event: LiveEvent): void {
  switch (event.type) {
    case 'order.created':
    case 'order.updated':
      void queryClient.invalidateQueries({ queryKey: queryKeys.orders });
      void queryClient.invalidateQueries({ queryKey: queryKeys.dashboard });
      return;
    case 'menu.updated':
      void queryClient.invalidateQueries({ queryKey: queryKeys.menu });
      return;
    case 'venue.updated':
      void queryClient.invalidateQueries({ queryKey: VENUE_QUERY_KEY });
      return;
    case 'resync':
      void queryClient.invalidateQueries();
      return;
    case 'session.revoked':
      // The session manager has signed out with the reason (e.g. signed in on another device).
      return;
  }
}

/** The console's live stream: keeps the dashboard, orders and menu current. */
export const liveStream = new LiveStream({ session, onEvent: applyEvent });
