import { describe, expect, it } from 'vitest';
import type { AdminMenuItem } from '@taproom/web-core/api/contracts';
import {
  EMPTY_MENU_FORM,
  formValuesOf,
  menuBodyOf,
  parseAllergens,
  parsePriceCents,
} from './menu-form';

const ITEM: AdminMenuItem = {
  id: 'i1',
  name: 'Lager',
  description: 'Crisp',
  category: 'Beer',
  priceCents: 450,
  available: true,
  stock: null,
  allergens: ['gluten'],
  station: 'bar',
  sortOrder: 0,
  archived: false,
  optionGroups: [],
  vatRateBasisPoints: 2000,
};

describe('the menu item form', () => {
  it('reads prices with a dot or a comma, in cents', () => {
    expect(parsePriceCents('4.5')).toBe(450);
    expect(parsePriceCents('4,50')).toBe(450);
    expect(parsePriceCents('12')).toBe(1200);
    expect(parsePriceCents('4.555')).toBeNaN();
    expect(parsePriceCents('free')).toBeNaN();
  });

  it('splits allergens into lower-case labels without repeats', () => {
    expect(parseAllergens(' Gluten, nuts ,gluten,, ')).toEqual(['gluten', 'nuts']);
  });

  it('sends every field for a new item, stock empty meaning unlimited', () => {
    const { body, errors } = menuBodyOf(
      { ...EMPTY_MENU_FORM, name: ' IPA ', category: 'Beer', price: '5', allergens: 'gluten' },
      null,
    );
    expect(errors).toEqual({});
    expect(body).toEqual({
      name: 'IPA',
      description: '',
      category: 'Beer',
      priceCents: 500,
      available: true,
      stock: null,
      allergens: ['gluten'],
      sortOrder: 0,
    });
    const kitchen = menuBodyOf(
      { ...EMPTY_MENU_FORM, name: 'Nachos', category: 'Snacks', price: '8', station: 'kitchen' },
      null,
    );
    expect(kitchen.body.station).toBe('kitchen');
  });

  it('sends only what changed for an edit, and flags a price it cannot read', () => {
    const values = { ...formValuesOf(ITEM), price: '4.80', stock: '12' };
    expect(menuBodyOf(values, ITEM)).toEqual({
      body: { priceCents: 480, stock: 12 },
      errors: {},
    });
    expect(menuBodyOf({ ...values, price: 'x' }, ITEM).errors.priceCents).toMatch(/price/);
    expect(menuBodyOf({ ...formValuesOf(ITEM), station: 'kitchen' }, ITEM).body).toEqual({
      station: 'kitchen',
    });
  });
});
