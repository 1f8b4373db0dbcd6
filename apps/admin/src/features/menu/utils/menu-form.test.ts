import { describe, expect, it } from 'vitest';
import type { AdminMenuItem } from '@taproom/web-core/api/contracts';
import {
  EMPTY_MENU_FORM,
  formValuesOf,
  menuBodyOf,
  parseAllergens,
  parseDeltaCents,
  parsePriceCents,
  parseVatBasisPoints,
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
  vatRateBasisPoints: 2000,
  optionGroups: [
    {
      id: 'g1',
      name: 'Size',
      min: 1,
      max: 1,
      options: [
        { id: 'o1', name: 'Pint', priceDeltaCents: 0, available: true },
        { id: 'o2', name: 'Half', priceDeltaCents: -250, available: false },
      ],
    },
  ],
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
      vatRateBasisPoints: 0,
      optionGroups: [],
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

  it('reads VAT as a percentage and price changes with a sign', () => {
    expect(parseVatBasisPoints('20')).toBe(2000);
    expect(parseVatBasisPoints('7,5 %')).toBe(750);
    expect(parseVatBasisPoints('twenty')).toBeNaN();
    expect(parseDeltaCents('-2.50')).toBe(-250);
    expect(parseDeltaCents('−2,5')).toBe(-250);
    expect(parseDeltaCents('+0.5')).toBe(50);
    expect(parseDeltaCents('')).toBe(0);
    expect(parseDeltaCents('1.234')).toBeNaN();
  });

  it('sends the groups whole when one changed, keeping ids, and nothing when none did', () => {
    const values = formValuesOf(ITEM);
    expect(values.vatRate).toBe('20');
    expect(menuBodyOf(values, ITEM).body).toEqual({});
    const [size] = values.optionGroups;
    if (size === undefined) throw new Error('no group');
    const changed = {
      ...values,
      vatRate: '10',
      optionGroups: [
        {
          ...size,
          options: [
            ...size.options.slice(1),
            { key: 'k', id: null, name: ' Schooner ', priceDelta: '-1', available: true },
          ],
        },
      ],
    };
    expect(menuBodyOf(changed, ITEM)).toEqual({
      body: {
        vatRateBasisPoints: 1000,
        optionGroups: [
          {
            id: 'g1',
            name: 'Size',
            min: 1,
            max: 1,
            options: [
              { id: 'o2', name: 'Half', priceDeltaCents: -250, available: false },
              { name: 'Schooner', priceDeltaCents: -100, available: true },
            ],
          },
        ],
      },
      errors: {},
    });
  });

  it('flags what it cannot read at the field the API would name', () => {
    const values = formValuesOf(ITEM);
    const [size] = values.optionGroups;
    const [pint] = size?.options ?? [];
    if (size === undefined || pint === undefined) throw new Error('no group');
    const broken = {
      ...values,
      vatRate: 'x',
      optionGroups: [
        { ...size, name: ' ', max: 'one', options: [{ ...pint, priceDelta: 'a lot' }] },
      ],
    };
    const tooMany = { ...values, optionGroups: [{ ...size, min: '4', max: '3' }] };
    expect(menuBodyOf(tooMany, ITEM).errors).toEqual({
      'optionGroups.0.max': 'The maximum can’t be more than the number of options.',
      'optionGroups.0.min': 'The minimum can’t be more than the maximum.',
    });
    expect(Object.keys(menuBodyOf(broken, ITEM).errors).sort()).toEqual([
      'optionGroups.0.max',
      'optionGroups.0.name',
      'optionGroups.0.options.0.priceDeltaCents',
      'vatRateBasisPoints',
    ]);
  });
});
