import { describe, expect, it } from '@jest/globals';
import type { OrderableItem } from '../menu/menu.service.js';
import { draftOrder } from './order-creation.service.js';

const beer: OrderableItem = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Pilsner',
  priceCents: 500,
  available: true,
  stock: null,
  archived: false,
  station: 'bar',
  optionGroups: [],
  vatRateBasisPoints: 2000,
};
const stout: OrderableItem = {
  ...beer,
  id: '00000000-0000-4000-8000-000000000002',
  name: 'Stout',
  priceCents: 650,
  stock: 3,
  station: 'kitchen',
};

const stoutLine = {
  menuItemId: stout.id,
  name: 'Stout',
  unitPriceCents: 650,
  station: 'kitchen',
  options: [],
  vatRateBasisPoints: 2000,
};

describe('draftOrder', () => {
  it('prices lines from the menu, routes each to its station, and adds stock per item', () => {
    const draft = draftOrder(
      {
        items: [
          { menuItemId: stout.id, quantity: 2 },
          { menuItemId: beer.id, quantity: 1, note: 'no foam' },
          { menuItemId: stout.id, quantity: 1 },
        ],
      },
      [beer, stout],
    );
    expect(draft).toEqual({
      ok: true,
      totalCents: 2 * 650 + 500 + 650,
      lines: [
        { ...stoutLine, quantity: 2, note: null },
        {
          menuItemId: beer.id,
          name: 'Pilsner',
          unitPriceCents: 500,
          quantity: 1,
          note: 'no foam',
          station: 'bar',
          options: [],
          vatRateBasisPoints: 2000,
        },
        { ...stoutLine, quantity: 1, note: null },
      ],
      stock: [{ menuItemId: stout.id, quantity: 3 }],
      unlimited: [beer.id],
      chosenOptions: [],
    });
  });

  it('names every unknown or archived line', () => {
    const draft = draftOrder(
      {
        items: [
          { menuItemId: beer.id, quantity: 1 },
          { menuItemId: '00000000-0000-4000-8000-00000000000f', quantity: 1 },
          { menuItemId: stout.id, quantity: 1 },
        ],
      },
      [beer, { ...stout, archived: true }],
    );
    expect(draft.ok).toBe(false);
    if (draft.ok) return;
    expect(draft.error.code).toBe('VALIDATION_FAILED');
    expect(draft.error.details).toEqual([
      { field: 'items.1.menuItemId', errors: ['no such item on the menu'] },
      { field: 'items.2.menuItemId', errors: ['no such item on the menu'] },
    ]);
  });

  it('refuses an item that is off the menu with ITEM_UNAVAILABLE', () => {
    const draft = draftOrder({ items: [{ menuItemId: beer.id, quantity: 1 }] }, [
      { ...beer, available: false },
    ]);
    expect(draft.ok ? undefined : draft.error.code).toBe('ITEM_UNAVAILABLE');
  });

  it('prices a line with its options and refuses options that do not fit', () => {
    const size = {
      id: '10000000-0000-4000-8000-000000000001',
      name: 'Size',
      min: 1,
      max: 1,
      options: [
        {
          id: '20000000-0000-4000-8000-000000000001',
          name: 'Pint',
          priceDeltaCents: 0,
          available: true,
        },
        {
          id: '20000000-0000-4000-8000-000000000002',
          name: 'Half',
          priceDeltaCents: -250,
          available: true,
        },
      ],
    };
    const sized = { ...stout, optionGroups: [size], vatRateBasisPoints: 1000 };
    const half = '20000000-0000-4000-8000-000000000002';
    const draft = draftOrder({ items: [{ menuItemId: stout.id, quantity: 2, options: [half] }] }, [
      sized,
    ]);
    expect(draft).toMatchObject({
      ok: true,
      totalCents: 800,
      lines: [
        {
          unitPriceCents: 400,
          vatRateBasisPoints: 1000,
          options: [{ id: half, groupName: 'Size', name: 'Half', priceDeltaCents: -250 }],
        },
      ],
      chosenOptions: [{ menuItemId: stout.id, optionId: half }],
    });
    const none = draftOrder({ items: [{ menuItemId: stout.id, quantity: 1 }] }, [sized]);
    expect(none.ok ? undefined : [none.error.code, none.error.details]).toEqual([
      'OPTIONS_INVALID',
      { menuItemId: stout.id, groupId: size.id, groupName: 'Size', reason: 'too_few' },
    ]);
  });
});
