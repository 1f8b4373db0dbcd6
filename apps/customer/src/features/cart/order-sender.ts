import { asApiError } from '@taproom/web-core/api/api-client';
import type { ApiError } from '@taproom/web-core/api/api-error';
import type { Order } from '@taproom/web-core/api/contracts';
import { browserNetwork, type NetworkStatus } from '@taproom/web-core/live/network-status';
import { type PendingOrder, useCart } from '@/lib/cart-store';
import { placeOrder } from './api/place-order';

/** How long one attempt may take before we stop waiting for its answer (and try again later). */
export const ORDER_TIMEOUT_MS = 10_000;
/** While waiting, how often to try again in case the network is back without saying so. */
export const ORDER_RETRY_MS = 15_000;

/** Why an order is waiting: no network at all, no answer, or no answer in time. */
export type WaitReason = 'offline' | 'unreachable' | 'timeout';

export type SendStatus =
  | { phase: 'idle' }
  | { phase: 'sending' }
  | { phase: 'waiting'; reason: WaitReason }
  /** The server answered and refused (out of stock, …): nothing was placed, the cart stays. */
  | { phase: 'refused'; error: ApiError };

export interface OrderSenderOptions {
  send?: (pending: PendingOrder, signal: AbortSignal) => Promise<Order>;
  network?: NetworkStatus;
  timeoutMs?: number;
}

const IDLE: SendStatus = { phase: 'idle' };

/** Answers that say the request may not have reached the API: safe and sensible to try again. */
function unreachable(error: ApiError | undefined): boolean {
  return error === undefined || error.status === 0 || [502, 503, 504].includes(error.status);
}

/**
 * Sends the cart's pending order, exactly once. Each attempt sends the same Idempotency-Key and the
 * same bytes, so a repeat after a lost answer replays the order the server already made. When
 * there is no network, or no answer in time, the order waits and is sent again when the browser
 * says the network is back (and on a timer, for networks that come back without saying so).
 * The pending order lives in the cart's storage, so a reload resumes it rather than losing it.
 */
export class OrderSender {
  private status: SendStatus;
  private readonly listeners = new Set<() => void>();
  private inFlight = false;
  private readonly send: (pending: PendingOrder, signal: AbortSignal) => Promise<Order>;
  private readonly network: NetworkStatus;
  private readonly timeoutMs: number;
  /** Told when an order has been placed (the app opens it) or refused. */
  onPlaced: (order: Order) => void = () => undefined;
  onRefused: (error: ApiError) => void = () => undefined;

  constructor(options: OrderSenderOptions = {}) {
    this.send = options.send ?? placeOrder;
    this.network = options.network ?? browserNetwork;
    this.timeoutMs = options.timeoutMs ?? ORDER_TIMEOUT_MS;
    this.status =
      useCart.getState().pending === null ? IDLE : { phase: 'waiting', reason: 'unreachable' };
  }

  getStatus = (): SendStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** "Place order" by `userId`: freezes the cart under its key and sends it. */
  submit(userId: string): void {
    if (this.inFlight) return;
    useCart.getState().beginSend(userId);
    this.setStatus({ phase: 'sending' });
    void this.attempt();
  }

  /**
   * Sends the pending order again, if there is one of `userId`'s and nothing is on its way. One
   * left by someone else who used this phone is dropped, never sent as this person's.
   */
  resume(userId: string): void {
    const pending = useCart.getState().pending;
    if (pending !== null && pending.userId !== userId) useCart.getState().cancelSend();
    if (useCart.getState().pending === null) {
      if (this.status.phase === 'waiting') this.setStatus(IDLE);
      return;
    }
    void this.attempt();
  }

  /** "Cancel": the order is not sent; the cart stays as it was. */
  cancel(): void {
    useCart.getState().cancelSend();
    this.setStatus(IDLE);
  }

  /** The refusal has been read (or the cart changed): back to an ordinary cart. */
  dismiss(): void {
    if (this.status.phase === 'refused') this.setStatus(IDLE);
  }

  private async attempt(): Promise<void> {
    const pending = useCart.getState().pending;
    if (pending === null || this.inFlight) return;
    if (!this.network.isOnline()) {
      this.setStatus({ phase: 'waiting', reason: 'offline' });
      return;
    }
    this.inFlight = true;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
    }, this.timeoutMs);
    try {
      const order = await this.send(pending, controller.signal);
      // Placed, even if the customer cancelled the wait meanwhile: the order exists, so show it.
      useCart.getState().clear();
      this.setStatus(IDLE);
      this.onPlaced(order);
    } catch (thrown) {
      const error = asApiError(thrown);
      // A cancelled wait or a new submit replaced this attempt: its outcome no longer matters.
      if (useCart.getState().pending?.key !== pending.key) return;
      if (controller.signal.aborted) {
        this.setStatus({ phase: 'waiting', reason: 'timeout' });
      } else if (unreachable(error)) {
        const reason = this.network.isOnline() ? 'unreachable' : 'offline';
        this.setStatus({ phase: 'waiting', reason });
      } else if (error !== undefined) {
        // Refused: nothing was placed. The key stays with the cart: trying the same order again
        // is allowed, and a changed cart gets a new key.
        useCart.getState().cancelSend();
        this.setStatus({ phase: 'refused', error });
        this.onRefused(error);
      }
    } finally {
      clearTimeout(timer);
      this.inFlight = false;
    }
  }

  private setStatus(status: SendStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.listeners) listener();
  }
}

/** This app's order sender. */
export const orderSender = new OrderSender();
