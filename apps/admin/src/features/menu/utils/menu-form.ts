import type { AdminMenuItem, MenuItemBody } from '@taproom/web-core/api/contracts';
import { fieldMessage } from '@taproom/web-core/api/field-words';

/** What the item form edits, as the inputs hold it. */
export interface MenuFormValues {
  name: string;
  description: string;
  category: string;
  /** Price as typed, e.g. `4.50`. */
  price: string;
  available: boolean;
  /** Empty for unlimited. */
  stock: string;
  /** Comma-separated labels. */
  allergens: string;
  /** One of the venue's stations; empty until the venue is known (the server's default). */
  station: string;
}

export const EMPTY_MENU_FORM: MenuFormValues = {
  name: '',
  description: '',
  category: '',
  price: '',
  available: true,
  stock: '',
  allergens: '',
  station: '',
};

export function formValuesOf(item: AdminMenuItem): MenuFormValues {
  return {
    name: item.name,
    description: item.description,
    category: item.category,
    price: (item.priceCents / 100).toFixed(2),
    available: item.available,
    stock: item.stock === null ? '' : String(item.stock),
    allergens: item.allergens.join(', '),
    station: item.station,
  };
}

/** `4.5`, `4,50` or `4` → cents; NaN when it is not a price. */
export function parsePriceCents(text: string): number {
  const normalised = text.trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(normalised)) return Number.NaN;
  return Math.round(Number(normalised) * 100);
}

export function parseAllergens(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((label) => label.trim().toLowerCase())
        .filter((label) => label !== ''),
    ),
  ];
}

/**
 * The request body for the form. Only what the browser can tell for sure is checked here (an
 * empty name or category, a price or stock that is not a number), in the words the API's
 * `VALIDATION_FAILED` answers get; every other rule is the API's, shown under the fields. A new item sends everything; an edit sends only changes.
 */
export function menuBodyOf(
  values: MenuFormValues,
  original: AdminMenuItem | null,
): { body: MenuItemBody; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (values.name.trim() === '') errors.name = fieldMessage('menuItem', 'name', 'missing');
  if (values.category.trim() === '') {
    errors.category = fieldMessage('menuItem', 'category', 'missing');
  }
  const priceCents = parsePriceCents(values.price);
  if (Number.isNaN(priceCents))
    errors.priceCents = fieldMessage('menuItem', 'priceCents', 'notWhole');
  const stockText = values.stock.trim();
  const stock = stockText === '' ? null : Number(stockText);
  if (stock !== null && !Number.isInteger(stock)) {
    errors.stock = fieldMessage('menuItem', 'stock', 'notWhole');
  }
  const full: Required<
    Omit<MenuItemBody, 'stockDelta' | 'station' | 'vatRateBasisPoints' | 'optionGroups'>
  > = {
    name: values.name.trim(),
    description: values.description.trim(),
    category: values.category.trim(),
    priceCents,
    available: values.available,
    stock,
    allergens: parseAllergens(values.allergens),
    // The form does not move items: a new one goes first in its category, an edit keeps its place.
    sortOrder: original?.sortOrder ?? 0,
  };
  if (original === null) {
    return { body: values.station === '' ? full : { ...full, station: values.station }, errors };
  }
  const body: MenuItemBody = {};
  if (full.name !== original.name) body.name = full.name;
  if (full.description !== original.description) body.description = full.description;
  if (full.category !== original.category) body.category = full.category;
  if (full.priceCents !== original.priceCents) body.priceCents = full.priceCents;
  if (full.available !== original.available) body.available = full.available;
  if (full.stock !== original.stock) body.stock = full.stock;
  if (full.allergens.join(',') !== original.allergens.join(',')) body.allergens = full.allergens;
  if (values.station !== '' && values.station !== original.station) body.station = values.station;
  return { body, errors };
}
