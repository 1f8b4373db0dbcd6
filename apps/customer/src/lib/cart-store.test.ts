import type { MenuItem, Order } from '@taproom/web-core/api/contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import { CART_STORAGE_KEY } from '@/config/app-config';
import { cartTotalCents, orderRequestOf, reorderLines, useCart } from './cart-store';

const LAGER = { id: '11111111-1111-4111-8111-111111111111', name: 'Lager', priceCents: 450 };
const CRISPS = { id: '22222222-2222-4222-8222-222222222222', name: 'Crisps', priceCents: 200 };
const USER = 'user-1';

function lineOf(menuItemId: string, note = '') {
  const line = useCart
    .getState()
    .lines.find((candidate) => candidate.menuItemId === menuItemId && candidate.note === note);
  if (line === undefined) throw new Error(`no line ${menuItemId}/${note}`);
  return line;
}

beforeEach(() => {
  localStorage.clear();
  useCart.setState({ lines: [], tableNumber: null, note: '', idempotencyKey: null, pending: null });
});

const HALF = { id: 'o-half', groupName: 'Size', name: 'Half', priceDeltaCents: -250 };
const LIME = { id: 'o-lime', groupName: 'Extras', name: 'Lime', priceDeltaCents: 30 };

describe('cart lines with choices', () => {
  it('merges the same item with the same choices, and keeps other choices apart', () => {
    const cart = useCart.getState();
    cart.add(LAGER, [HALF, LIME]);
    cart.add(LAGER, [LIME, HALF], 2);
    cart.add(LAGER, [HALF]);
    cart.add(LAGER);
    const lines = useCart.getState().lines;
    expect(lines.map((l) => [l.options.map((o) => o.name), l.priceCents, l.quantity])).toEqual([
      [['Half', 'Lime'], 230, 3],
      [['Half'], 200, 1],
      [[], 450, 1],
    ]);
    expect(cartTotalCents(lines)).toBe(230 * 3 + 200 + 450);
    expect(orderRequestOf(useCart.getState()).items).toEqual([
      { menuItemId: LAGER.id, quantity: 3, options: ['o-half', 'o-lime'] },
      { menuItemId: LAGER.id, quantity: 1, options: ['o-half'] },
      { menuItemId: LAGER.id, quantity: 1 },
    ]);
  });

  it('brings a cart saved before choices back with none', async () => {
    localStorage.setItem(
      CART_STORAGE_KEY,
      JSON.stringify({
        version: 2,
        state: {
          lines: [
            {
              id: 'l1',
              menuItemId: LAGER.id,
              name: 'Lager',
              priceCents: 450,
              quantity: 2,
              note: 'x',
            },
          ],
          tableNumber: null,
          note: '',
          idempotencyKey: null,
          pending: null,
        },
      }),
    );
    await useCart.persist.rehydrate();
    expect(useCart.getState().lines).toEqual([
      {
        id: 'l1',
        menuItemId: LAGER.id,
        name: 'Lager',
        priceCents: 450,
        quantity: 2,
        note: 'x',
        options: [],
      },
    ]);
  });
});

describe('cart', () => {
  it('adds, counts and totals lines, and builds the order body with line notes', () => {
    const cart = useCart.getState();
    cart.add(LAGER);
    cart.add(LAGER);
    cart.add(CRISPS);
    cart.setLineNote(lineOf(CRISPS.id).id, '  salted  ');
    cart.setTableNumber(12);
    cart.setNote('  by the window  ');
    const state = useCart.getState();
    expect(cartTotalCents(state.lines)).toBe(1100);
    expect(orderRequestOf(state)).toEqual({
      items: [
        { menuItemId: LAGER.id, quantity: 2 },
        { menuItemId: CRISPS.id, quantity: 1, note: 'salted' },
      ],
      tableNumber: 12,
      note: 'by the window',
    });
  });

  it('keeps the same item with different notes on separate lines', () => {
    const cart = useCart.getState();
    cart.add(LAGER);
    cart.setLineNote(lineOf(LAGER.id).id, 'no foam');
    cart.add(LAGER); // a plain one: a new line, the noted one is left alone
    cart.add(LAGER);
    expect(useCart.getState().lines.map(({ note, quantity }) => ({ note, quantity }))).toEqual([
      { note: 'no foam', quantity: 1 },
      { note: '', quantity: 2 },
    ]);
    cart.setLineNote(lineOf(LAGER.id, '').id, 'x'.repeat(200));
    expect(lineOf(LAGER.id, 'x'.repeat(140)).quantity).toBe(2); // capped at the contract's 140
  });

  it('freezes the order for sending: one key and the same bytes until placed', () => {
    useCart.getState().add(LAGER);
    const first = useCart.getState().beginSend(USER);
    expect(first.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(first.body)).toEqual({ items: [{ menuItemId: LAGER.id, quantity: 1 }] });

    // While it is being sent, the cart cannot change under it.
    useCart.getState().add(LAGER);
    useCart.getState().setNote('changed');
    expect(useCart.getState().lines[0]?.quantity).toBe(1);
    expect(useCart.getState().beginSend(USER)).toEqual(first); // a double tap, a retry

    // Cancelling the wait keeps the key: sending the same order later may replay it, not double it.
    useCart.getState().cancelSend();
    expect(useCart.getState().pending).toBeNull();
    expect(useCart.getState().lines).toHaveLength(1);
    expect(useCart.getState().beginSend(USER)).toEqual(first);

    // A changed order is a new attempt with a new key.
    useCart.getState().cancelSend();
    useCart.getState().add(LAGER);
    const second = useCart.getState().beginSend(USER);
    expect(second.key).not.toBe(first.key);
    useCart.getState().clear();
    expect(useCart.getState()).toMatchObject({ lines: [], idempotencyKey: null, pending: null });
  });

  it('keeps the cart and the order waiting to be sent across reloads, and nothing else', async () => {
    useCart.getState().add(LAGER);
    const pending = useCart.getState().beginSend(USER);
    const stored = JSON.parse(localStorage.getItem(CART_STORAGE_KEY) ?? '{}') as { state: object };
    expect(stored.state).toEqual({
      lines: [
        {
          id: useCart.getState().lines[0]?.id,
          menuItemId: LAGER.id,
          name: 'Lager',
          priceCents: 450,
          options: [],
          quantity: 1,
          note: '',
        },
      ],
      tableNumber: null,
      note: '',
      idempotencyKey: pending.key,
      pending,
    });
    expect(Object.keys(localStorage)).toEqual([CART_STORAGE_KEY]);

    // A reload: the store starts empty and reads storage back.
    const saved = localStorage.getItem(CART_STORAGE_KEY) ?? '';
    useCart.setState({ lines: [], idempotencyKey: null, pending: null });
    localStorage.setItem(CART_STORAGE_KEY, saved);
    await useCart.persist.rehydrate();
    expect(useCart.getState().pending).toEqual(pending);
    expect(useCart.getState().beginSend(USER)).toEqual(pending);
  });

  it('keeps line notes, the table number and the note for the bar through a reload or a sign-out', async () => {
    useCart.getState().add(LAGER);
    const lineId = useCart.getState().lines[0]?.id ?? '';
    useCart.getState().setLineNote(lineId, 'no foam, please');
    useCart.getState().setTableNumber(12);
    useCart.getState().setNote('Birthday at the long table');
    // A reload after a timeout or an eviction: the store starts empty and reads storage back.
    const saved = localStorage.getItem(CART_STORAGE_KEY) ?? '';
    useCart.setState({ lines: [], tableNumber: null, note: '' });
    localStorage.setItem(CART_STORAGE_KEY, saved);
    await useCart.persist.rehydrate();
    expect(useCart.getState()).toMatchObject({
      lines: [{ id: lineId, note: 'no foam, please' }],
      tableNumber: 12,
      note: 'Birthday at the long table',
    });
  });

  it('reads a cart saved before lines had notes', async () => {
    localStorage.setItem(
      CART_STORAGE_KEY,
      JSON.stringify({
        version: 1,
        state: {
          lines: [{ menuItemId: LAGER.id, name: 'Lager', priceCents: 450, quantity: 2 }],
          tableNumber: 4,
          note: '',
          idempotencyKey: null,
        },
      }),
    );
    await useCart.persist.rehydrate();
    expect(useCart.getState()).toMatchObject({
      lines: [{ menuItemId: LAGER.id, quantity: 2, note: '' }],
      tableNumber: 4,
      pending: null,
    });
    expect(useCart.getState().lines[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('reorderLines', () => {
  const menuItem = (item: Partial<MenuItem> & Pick<MenuItem, 'id' | 'name'>): MenuItem =>
    ({
      description: '',
      category: 'Beer',
      priceCents: 500,
      available: true,
      stock: null,
      allergens: [],
      optionGroups: [],
      vatRateBasisPoints: 2000,
      ...item,
    }) as MenuItem;
  const line = (
    menuItemId: string,
    name: string,
    quantity: number,
    note: string | null,
    options: Order['items'][number]['options'] = [],
  ) =>
    ({ menuItemId, name, quantity, note, unitPriceCents: 400, options }) as Order['items'][number];

  it('takes items, quantities and notes at today’s prices, and names what it left out', () => {
    const menu = [
      menuItem({ id: 'a', name: 'Pilsner', priceCents: 550 }),
      menuItem({ id: 'b', name: 'Stout', available: false }),
      menuItem({ id: 'c', name: 'Nachos', stock: 0 }),
      menuItem({ id: 'd', name: 'Crisps', stock: 3 }),
    ];
    const order = {
      items: [
        line('a', 'Pilsner', 2, 'no foam'),
        line('b', 'Stout', 1, null),
        line('c', 'Nachos', 1, null),
        line('gone', 'Old Ale', 1, null),
        line('d', 'Crisps', 1, null),
      ],
    };
    expect(reorderLines(order, menu)).toEqual({
      lines: [
        {
          menuItemId: 'a',
          name: 'Pilsner',
          priceCents: 550,
          options: [],
          quantity: 2,
          note: 'no foam',
        },
        { menuItemId: 'd', name: 'Crisps', priceCents: 500, options: [], quantity: 1, note: '' },
      ],
      skipped: ['Stout', 'Nachos', 'Old Ale'],
    });
  });

  it('takes the choices at today’s prices, and leaves out a line whose choice is 86’d', () => {
    const size = (halfAvailable: boolean) => ({
      id: 'g-size',
      name: 'Size',
      min: 1,
      max: 1,
      options: [
        { id: 'o-pint', name: 'Pint', priceDeltaCents: 0, available: true },
        { id: 'o-half', name: 'Half', priceDeltaCents: -250, available: halfAvailable },
      ],
    });
    const past = (option: 'o-pint' | 'o-half', name: string) =>
      line('a', 'Pilsner', 1, null, [
        { id: option, groupName: 'Size', name, priceDeltaCents: -999 },
      ]);
    const order = { items: [past('o-half', 'Half'), past('o-pint', 'Pint')] };
    const menu = [menuItem({ id: 'a', name: 'Pilsner', optionGroups: [size(true)] })];
    expect(reorderLines(order, menu).lines.map((l) => [l.priceCents, l.options[0]?.name])).toEqual([
      [250, 'Half'],
      [500, 'Pint'],
    ]);
    const halvesOff = [menuItem({ id: 'a', name: 'Pilsner', optionGroups: [size(false)] })];
    expect(reorderLines(order, halvesOff)).toMatchObject({
      lines: [{ options: [{ id: 'o-pint' }] }],
      skipped: ['Pilsner (Half)'],
    });
    // A required group the past line never had: it can't be ordered as it was.
    expect(reorderLines({ items: [line('a', 'Pilsner', 1, null)] }, menu).skipped).toEqual([
      'Pilsner',
    ]);
  });

  it('adds to what is already in the cart, merging the same item and note', () => {
    useCart.getState().add(LAGER);
    useCart.getState().addLines([
      { menuItemId: LAGER.id, name: 'Lager', priceCents: 450, options: [], quantity: 2, note: '' },
      {
        menuItemId: LAGER.id,
        name: 'Lager',
        priceCents: 450,
        options: [],
        quantity: 1,
        note: 'shandy',
      },
    ]);
    expect(useCart.getState().lines.map(({ note, quantity }) => ({ note, quantity }))).toEqual([
      { note: '', quantity: 3 },
      { note: 'shandy', quantity: 1 },
    ]);
  });
});
