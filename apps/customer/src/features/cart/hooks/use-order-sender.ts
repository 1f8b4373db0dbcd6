import type { ApiError } from '@taproom/web-core/api/api-error';
import type { Order } from '@taproom/web-core/api/contracts';
import { browserNetwork } from '@taproom/web-core/live/network-status';
import { useEffect, useSyncExternalStore } from 'react';
import { followOtherTabs, useCart } from '@/lib/cart-store';
import { ORDER_RETRY_MS, orderSender, type SendStatus } from '../order-sender';

/**
 * Keeps an order that is waiting to be sent moving, on every page, while `userId` is signed in:
 * resumes it after a reload or when another tab begins one, sends it when the network comes back
 * and, while waiting, every {@link ORDER_RETRY_MS}.
 */
export function useOrderSender({
  userId,
  onPlaced,
  onRefused,
}: {
  userId: string | null;
  onPlaced: (order: Order) => void;
  onRefused: (error: ApiError) => void;
}): void {
  useEffect(() => {
    orderSender.onPlaced = onPlaced;
    orderSender.onRefused = onRefused;
  }, [onPlaced, onRefused]);

  useEffect(() => {
    if (userId === null) return undefined;
    const resume = (): void => {
      orderSender.resume(userId);
    };
    resume();
    const unsubscribe = browserNetwork.subscribe(resume);
    const timer = setInterval(resume, ORDER_RETRY_MS);
    const stopFollowing = followOtherTabs();
    // An order another tab began sending is this tab's to send too: same key, one order.
    const unsubscribeCart = useCart.subscribe((cart, before) => {
      if (cart.pending !== null && cart.pending.key !== before.pending?.key) resume();
    });
    return () => {
      unsubscribe();
      clearInterval(timer);
      stopFollowing();
      unsubscribeCart();
    };
  }, [userId]);
}

/** Where the order being placed is: sending, waiting for the network, or refused. */
export function useSendStatus(): SendStatus {
  return useSyncExternalStore(orderSender.subscribe, orderSender.getStatus, orderSender.getStatus);
}
