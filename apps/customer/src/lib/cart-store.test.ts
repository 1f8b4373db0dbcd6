import { beforeEach, describe, expect, it } from 'vitest';
import { CART_STORAGE_KEY } from '@/config/app-config';
import { cartTotalCents, orderRequestOf, useCart } from './cart-store';

const LAGER = { id: '11111111-1111-4111-8111-111111111111', name: 'Lager', priceCents: 450 };
const CRISPS = { id: '22222222-2222-4222-8222-222222222222', name: 'Crisps', priceCents: 200 };

beforeEach(() => {
  localStorage.clear();
  useCart.setState({ lines: [], tableNumber: null, note: '', idempotencyKey: null });
});

describe('cart', () => {
  it('adds, counts and totals lines, and builds the order body', () => {
    const cart = useCart.getState();
    cart.add(LAGER);
    cart.add(LAGER);
    cart.add(CRISPS);
    cart.setTableNumber(12);
    cart.setNote('  no ice  ');
    const state = useCart.getState();
    expect(cartTotalCents(state.lines)).toBe(1100);
    expect(orderRequestOf(state)).toEqual({
      items: [
        { menuItemId: LAGER.id, quantity: 2 },
        { menuItemId: CRISPS.id, quantity: 1 },
      ],
      tableNumber: 12,
      note: 'no ice',
    });
  });

  it('keeps one Idempotency-Key per checkout attempt until the order changes or is placed', () => {
    useCart.getState().add(LAGER);
    const first = useCart.getState().checkoutKey();
    expect(useCart.getState().checkoutKey()).toBe(first); // a retry or a double tap
    useCart.getState().setQuantity(LAGER.id, 3);
    const second = useCart.getState().checkoutKey();
    expect(second).not.toBe(first);
    useCart.getState().clear();
    expect(useCart.getState().idempotencyKey).toBeNull();
  });

  it('keeps the cart and the pending key across reloads in localStorage, and nothing else', () => {
    useCart.getState().add(LAGER);
    const key = useCart.getState().checkoutKey();
    const stored = JSON.parse(localStorage.getItem(CART_STORAGE_KEY) ?? '{}') as { state: object };
    expect(stored.state).toEqual({
      lines: [{ menuItemId: LAGER.id, name: 'Lager', priceCents: 450, quantity: 1 }],
      tableNumber: null,
      note: '',
      idempotencyKey: key,
    });
    expect(Object.keys(localStorage)).toEqual([CART_STORAGE_KEY]);
  });
});
