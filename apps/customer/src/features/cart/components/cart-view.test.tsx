import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { Order } from '@taproom/web-core/api/contracts';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCart } from '@/lib/cart-store';
import { placeOrder } from '../api/place-order';
import { orderSender } from '../order-sender';
import { CartView } from './cart-view';

vi.mock('../api/place-order', () => ({ placeOrder: vi.fn() }));
const placeOrderMock = vi.mocked(placeOrder);

const LAGER = { id: '11111111-1111-4111-8111-111111111111', name: 'Lager', priceCents: 450 };

function renderCart() {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <CartView userId="ann" unavailable={new Set()} guestTable={null} onNeedSignIn={vi.fn()} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

function setOnline(online: boolean) {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
}

beforeEach(() => {
  localStorage.clear();
  useCart.setState({ lines: [], tableNumber: null, note: '', idempotencyKey: null, pending: null });
  useCart.getState().add(LAGER);
  orderSender.cancel();
  placeOrderMock.mockReset();
  setOnline(true);
});

afterEach(() => {
  cleanup();
});

describe('checkout', () => {
  it('sends one order for a double tap', async () => {
    let finish: (order: Order) => void = () => undefined;
    placeOrderMock.mockImplementation(
      () =>
        new Promise<Order>((resolve) => {
          finish = resolve;
        }),
    );
    const onPlaced = vi.fn();
    orderSender.onPlaced = onPlaced;
    renderCart();
    const button = screen.getByRole('button', { name: /Place order/ });
    fireEvent.click(button);
    fireEvent.click(button);
    await vi.waitFor(() => {
      expect(placeOrderMock).toHaveBeenCalled();
    });
    await act(async () => {
      finish({ id: 'o1' } as Order);
      await Promise.resolve();
    });
    expect(placeOrderMock).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => {
      expect(onPlaced).toHaveBeenCalledWith({ id: 'o1' });
    });
    expect(useCart.getState().lines).toEqual([]);
  });

  it('says it is waiting for the network instead of spinning, and can be cancelled', async () => {
    setOnline(false);
    renderCart();
    fireEvent.click(screen.getByRole('button', { name: /Place order/ }));
    const waiting = await screen.findByTestId('order-waiting');
    expect(waiting.textContent).toContain("Waiting for connection — we'll send it once");
    expect(waiting.textContent).toContain('You are offline');
    expect(screen.queryByRole('button', { name: /Place order/ })).toBeNull();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'One more Lager' }).disabled).toBe(
      true,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await screen.findByRole('button', { name: /Place order/ });
    expect(useCart.getState().pending).toBeNull();
    expect(useCart.getState().lines).toHaveLength(1);
    expect(placeOrderMock).not.toHaveBeenCalled();
  });

  it('edits a note per line, sent with that line', async () => {
    placeOrderMock.mockResolvedValue({ id: 'o2' } as Order);
    renderCart();
    fireEvent.click(screen.getByRole('button', { name: 'Add a note for Lager' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Note for Lager' }), {
      target: { value: 'no foam' },
    });
    fireEvent.click(screen.getByRole('button', { name: /Place order/ }));
    await vi.waitFor(() => {
      expect(placeOrderMock).toHaveBeenCalledTimes(1);
    });
    const body = JSON.parse(placeOrderMock.mock.calls[0]?.[0].body ?? '') as unknown;
    expect(body).toEqual({ items: [{ menuItemId: LAGER.id, quantity: 1, note: 'no foam' }] });
  });
});
