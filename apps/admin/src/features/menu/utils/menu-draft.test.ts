import { describe, expect, it } from 'vitest';
import { changesOf, withChanges } from './menu-draft';
import { EMPTY_MENU_FORM, type MenuFormValues } from './menu-form';

const pils: MenuFormValues = {
  ...EMPTY_MENU_FORM,
  name: 'Pilsner',
  category: 'Beer',
  price: '5.00',
  stock: '10',
  station: 'bar',
};

describe('menu drafts', () => {
  it('keep only the fields the admin changed', () => {
    expect(changesOf(pils, { ...pils, price: '6.50' })).toEqual({ price: '6.50' });
    expect(changesOf(pils, pils)).toEqual({});
  });

  it('lay the changes over the item as it is now, so what others changed stays', () => {
    const draft = { itemId: 'pils', changes: changesOf(pils, { ...pils, price: '6.50' }) };
    // Meanwhile 3 were sold and the bar took it off the menu.
    const now = { ...pils, stock: '7', available: false };
    expect(withChanges(now, draft)).toEqual({ ...now, price: '6.50' });
    expect(withChanges(now, null)).toEqual(now);
  });
});
