import type { Order } from '@taproom/web-core/api/contracts';
import { describe, expect, it } from 'vitest';
import { itemsSummary } from './order-summary';

function line(menuItemId: string, name: string, quantity: number, note: string | null = null) {
  return { menuItemId, name, quantity, note, unitPriceCents: 500 } as Order['items'][number];
}

describe('itemsSummary', () => {
  it('names the items with their quantities', () => {
    expect(itemsSummary([line('a', 'Pilsner', 2), line('b', 'Nachos', 1)])).toBe(
      '2× Pilsner, 1× Nachos',
    );
  });

  it('counts lines of one item together and says how many more there are', () => {
    const items = [
      line('a', 'Pilsner', 2),
      line('b', 'Nachos', 1),
      line('a', 'Pilsner', 1, 'no foam'),
      line('c', 'Crisps', 1),
      line('d', 'Stout', 1),
      line('e', 'Cola', 3),
    ];
    expect(itemsSummary(items)).toBe('3× Pilsner, 1× Nachos, 1× Crisps and 2 more');
  });
});
