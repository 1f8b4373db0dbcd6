import type { ApiError } from '@taproom/web-core/api/api-error';
import type { Order } from '@taproom/web-core/api/contracts';
import { browserNetwork } from '@taproom/web-core/live/network-status';
import { useEffect, useSyncExternalStore } from 'react';
import { ORDER_RETRY_MS, orderSender, type SendStatus } from '../order-sender';

/**
 * Keeps an order that is waiting to be sent moving, on every page, while `userId` is signed in:
 * resumes it after a reload, sends it when the network comes back and, while waiting, every
 * {@link ORDER_RETRY_MS}.
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
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [userId]);
}

/** Where the order being placed is: sending, waiting for the network, or refused. */
export function useSendStatus(): SendStatus {
  return useSyncExternalStore(orderSender.subscribe, orderSender.getStatus, orderSender.getStatus);
}
