import { ApiError } from '@taproom/web-core/api/api-error';
import type { Order } from '@taproom/web-core/api/contracts';
import type { NetworkStatus } from '@taproom/web-core/live/network-status';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type PendingOrder, useCart } from '@/lib/cart-store';
import { OrderSender } from './order-sender';

const LAGER = { id: '11111111-1111-4111-8111-111111111111', name: 'Lager', priceCents: 450 };
const ANN = 'ann';

function network(online: boolean): NetworkStatus & { online: boolean } {
  return {
    online,
    isOnline() {
      return this.online;
    },
    subscribe: () => () => undefined,
  };
}

/** What the sender put on the wire, and a way to answer each attempt. */
function recordingServer() {
  const sent: PendingOrder[] = [];
  const answers: (() => Promise<Order>)[] = [];
  const send = vi.fn((pending: PendingOrder, signal: AbortSignal) => {
    sent.push({ ...pending });
    const answer = answers.shift();
    if (answer !== undefined) return answer();
    // No answer: hangs until the sender gives up on it.
    return new Promise<Order>((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        reject(new Error('aborted'));
      });
    });
  });
  return { sent, answers, send };
}

const placed = { id: 'o1', number: 7 } as Order;
const networkError = () => Promise.reject(new ApiError(0, 'NETWORK', 'Could not reach Taproom.'));

beforeEach(() => {
  localStorage.clear();
  useCart.setState({ lines: [], tableNumber: null, note: '', idempotencyKey: null, pending: null });
  useCart.getState().add(LAGER);
  useCart.getState().setTableNumber(5);
});

describe('OrderSender', () => {
  it('waits while offline and sends exactly once when the network returns', async () => {
    const server = recordingServer();
    const net = network(false);
    const sender = new OrderSender({ send: server.send, network: net });
    const onPlaced = vi.fn();
    sender.onPlaced = onPlaced;

    sender.submit(ANN);
    expect(sender.getStatus()).toEqual({ phase: 'waiting', reason: 'offline' });
    sender.resume(ANN); // the retry timer, still offline
    expect(server.send).not.toHaveBeenCalled();

    net.online = true;
    server.answers.push(() => Promise.resolve(placed));
    sender.resume(ANN); // the `online` event…
    sender.resume(ANN); // …and the timer in the same moment
    await vi.waitFor(() => {
      expect(onPlaced).toHaveBeenCalledWith(placed);
    });
    sender.resume(ANN);
    expect(server.send).toHaveBeenCalledTimes(1);
    expect(JSON.parse(server.sent[0]?.body ?? '')).toEqual({
      items: [{ menuItemId: LAGER.id, quantity: 1 }],
      tableNumber: 5,
    });
    expect(useCart.getState()).toMatchObject({ lines: [], pending: null, idempotencyKey: null });
    expect(sender.getStatus()).toEqual({ phase: 'idle' });
  });

  it('sends the same key and the same bytes again after an answer that never came', async () => {
    const server = recordingServer();
    const sender = new OrderSender({ send: server.send, network: network(true), timeoutMs: 50 });
    server.answers.push(networkError);
    sender.submit(ANN);
    await vi.waitFor(() => {
      expect(sender.getStatus()).toEqual({ phase: 'waiting', reason: 'unreachable' });
    });

    sender.resume(ANN); // no answer at all: the timeout gives up on it
    await vi.waitFor(() => {
      expect(sender.getStatus()).toEqual({ phase: 'waiting', reason: 'timeout' });
    });

    server.answers.push(() => Promise.resolve(placed));
    sender.resume(ANN);
    await vi.waitFor(() => {
      expect(sender.getStatus()).toEqual({ phase: 'idle' });
    });
    expect(server.sent).toHaveLength(3);
    expect(new Set(server.sent.map((p) => p.key)).size).toBe(1);
    expect(new Set(server.sent.map((p) => p.body)).size).toBe(1);
  });

  it('shows a refusal and keeps the cart, with its key, when the server says no', async () => {
    const server = recordingServer();
    const sender = new OrderSender({ send: server.send, network: network(true) });
    const onRefused = vi.fn();
    sender.onRefused = onRefused;
    const refusal = new ApiError(409, 'OUT_OF_STOCK', 'There is not enough left.');
    server.answers.push(() => Promise.reject(refusal));
    sender.submit(ANN);
    await vi.waitFor(() => {
      expect(sender.getStatus()).toEqual({ phase: 'refused', error: refusal });
    });
    expect(onRefused).toHaveBeenCalledWith(refusal);
    const key = server.sent[0]?.key;
    expect(useCart.getState()).toMatchObject({ pending: null, idempotencyKey: key });
    expect(useCart.getState().lines).toHaveLength(1);
    sender.resume(ANN); // nothing is pending any more
    expect(server.send).toHaveBeenCalledTimes(1);
  });

  it('sends nothing after the wait was cancelled', async () => {
    const server = recordingServer();
    const net = network(false);
    const sender = new OrderSender({ send: server.send, network: net });
    sender.submit(ANN);
    sender.cancel();
    expect(sender.getStatus()).toEqual({ phase: 'idle' });
    net.online = true;
    sender.resume(ANN);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.send).not.toHaveBeenCalled();
    expect(useCart.getState().lines).toHaveLength(1);
  });

  it('never sends an order left waiting by someone else on this phone', () => {
    const server = recordingServer();
    const sender = new OrderSender({ send: server.send, network: network(true) });
    useCart.getState().beginSend('someone-else');
    sender.resume(ANN);
    expect(server.send).not.toHaveBeenCalled();
    expect(useCart.getState().pending).toBeNull();
  });
});
