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

const stoutLine = { menuItemId: stout.id, name: 'Stout', unitPriceCents: 650, station: 'kitchen' };

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
        },
        { ...stoutLine, quantity: 1, note: null },
      ],
      stock: [{ menuItemId: stout.id, quantity: 3 }],
      unlimited: [beer.id],
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
});
