import { useQuery } from '@tanstack/react-query';
import type { Order } from '@taproom/web-core/api/contracts';
import { venueQuery } from '@taproom/web-core/app/venue-query';
import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import { useNavigate } from 'react-router';
import { FALLBACK_VENUE } from '@/config/app-config';
import { useMenu } from '@/features/menu/api/menu-api';
import {
  OpenTabButton,
  PayButton,
  PaymentsDeskProvider,
  TicketPaymentItems,
} from '@/features/payments/components/payments-desk';
import { QueueBoard } from '@/features/queue/components/queue-board';
import type { TicketAddons } from '@/features/queue/components/ticket-card';
import { useQueueSync } from '@/features/queue/hooks/use-queue-sync';
import { queueStore } from '@/features/queue/stores/queue-store';
import { SoundBanner } from '@/features/shift/components/sound-banner';
import { StartShift } from '@/features/shift/components/start-shift';
import { useShiftDevices } from '@/features/shift/hooks/use-shift-devices';
import { liveStream } from '@/lib/live-events';
import { api } from '@/lib/session';

const NONE: readonly string[] = [];

/** The till on the board: payment entries in each ticket's menu, "Pay" on served tickets. */
const PAYMENT_ADDONS: TicketAddons = {
  menuItems: (order) => <TicketPaymentItems order={order} />,
  recentActions: (order) => <PayButton order={order} />,
};

/** A payment's answer goes on the board at once (the live event that follows changes nothing). */
function showPaid(order: Order): void {
  queueStore.handleEvent({ type: 'order.updated', id: undefined, data: order });
}

/**
 * The queue page: the board, kept in sync while mounted, behind "Start shift" after every sign-in
 * and reload (the one tap that lets the page make sound and keep the screen awake).
 */
export function QueueRoute() {
  const connection = useSyncExternalStore(liveStream.subscribe, liveStream.getState);
  useQueueSync(connection);
  const menu = useMenu();
  // The venue's settings; until they arrive (or while they cannot), the defaults.
  const venue = useQuery(venueQuery(api));
  const [started, setStarted] = useState(false);
  const navigate = useNavigate();
  const { sound } = useShiftDevices();
  const allergens = useMemo(
    () => new Map((menu.data ?? []).map((item) => [item.id, item.allergens])),
    [menu.data],
  );
  const allergensOf = useCallback((id: string) => allergens.get(id) ?? NONE, [allergens]);
  return (
    <>
      <StartShift
        opened={!started}
        onStarted={() => {
          setStarted(true);
        }}
        onSignedOut={() => void navigate('/sign-in')}
      />
      <PaymentsDeskProvider onOrderPaid={showPaid}>
        <QueueBoard
          venue={venue.data ?? FALLBACK_VENUE}
          connection={connection}
          sound={sound}
          notices={started && <SoundBanner />}
          allergensOf={allergensOf}
          toolbar={<OpenTabButton />}
          addons={PAYMENT_ADDONS}
        />
      </PaymentsDeskProvider>
    </>
  );
}
