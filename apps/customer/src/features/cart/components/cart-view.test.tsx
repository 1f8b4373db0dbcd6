import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from '@taproom/web-core/api/api-error';
import type { Order } from '@taproom/web-core/api/contracts';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCart } from '@/lib/cart-store';
import { placeOrder } from '../api/place-order';
import { CartView } from './cart-view';

vi.mock('../api/place-order', () => ({ placeOrder: vi.fn() }));
const placeOrderMock = vi.mocked(placeOrder);

const LAGER = { id: '11111111-1111-4111-8111-111111111111', name: 'Lager', priceCents: 450 };

function renderCart(onPlaced = vi.fn()) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <CartView
          signedIn
          unavailable={new Set()}
          onNeedSignIn={vi.fn()}
          onPlaced={onPlaced}
          onStockProblem={vi.fn()}
        />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onPlaced;
}

beforeEach(() => {
  localStorage.clear();
  useCart.setState({ lines: [], tableNumber: null, note: '', idempotencyKey: null });
  useCart.getState().add(LAGER);
  placeOrderMock.mockReset();
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
    const onPlaced = renderCart();
    const button = screen.getByRole('button', { name: /Place order/ });
    fireEvent.click(button);
    fireEvent.click(button);
    await vi.waitFor(() => {
      expect(placeOrderMock).toHaveBeenCalled();
    });
    fireEvent.click(screen.getByRole('button', { name: /Place order/ }));
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

  it('sends the same Idempotency-Key again when retrying after a network failure', async () => {
    placeOrderMock.mockRejectedValueOnce(new ApiError(0, 'NETWORK', 'Could not reach Taproom.'));
    placeOrderMock.mockResolvedValueOnce({ id: 'o2' } as Order);
    const onPlaced = renderCart();

    fireEvent.click(screen.getByRole('button', { name: /Place order/ }));
    await screen.findByText(/Sending again will not order twice/);
    fireEvent.click(screen.getByRole('button', { name: /Place order/ }));
    await vi.waitFor(() => {
      expect(onPlaced).toHaveBeenCalled();
    });

    const keys = placeOrderMock.mock.calls.map((call) => call[1]);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });
});
