import type {
  AdminMenuItem,
  MenuItemBody,
  MenuOptionGroupBody,
} from '@taproom/web-core/api/contracts';
import { fieldMessage } from '@taproom/web-core/api/field-words';

/** One choice of a group as the form holds it. */
export interface OptionValues {
  /** The form's own key for the row (the option's id once it has one). */
  key: string;
  /** null: new, the server gives it an id. */
  id: string | null;
  name: string;
  /** Price change as typed, e.g. `0.50`, `-2.50`; empty means none. */
  priceDelta: string;
  available: boolean;
}

/** One option group as the form holds it. */
export interface OptionGroupValues {
  key: string;
  id: string | null;
  name: string;
  /** How many a guest must choose, as typed. */
  min: string;
  /** How many a guest may choose, as typed. */
  max: string;
  options: OptionValues[];
}

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
  /** VAT as a percentage, as typed: `20`, `7.5`. */
  vatRate: string;
  /** The item's option groups in display order. */
  optionGroups: OptionGroupValues[];
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
  vatRate: '0',
  optionGroups: [],
};

/** A key for a new row of the form. */
function newRowKey(): string {
  return `new-${Math.random().toString(36).slice(2, 10)}`;
}

export function newOption(): OptionValues {
  return { key: newRowKey(), id: null, name: '', priceDelta: '', available: true };
}

/** A new group: a single required choice with one empty option, the commonest kind (a size). */
export function newOptionGroup(): OptionGroupValues {
  return { key: newRowKey(), id: null, name: '', min: '1', max: '1', options: [newOption()] };
}

/** Cents as the form shows a price change: `-250` → `-2.50`, `0` → empty. */
function deltaText(cents: number): string {
  return cents === 0 ? '' : (cents / 100).toFixed(2);
}

/** `2000` → `20`, `750` → `7.5`. */
function vatRateText(basisPoints: number): string {
  return String(basisPoints / 100);
}

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
    vatRate: vatRateText(item.vatRateBasisPoints),
    optionGroups: item.optionGroups.map((group) => ({
      key: group.id,
      id: group.id,
      name: group.name,
      min: String(group.min),
      max: String(group.max),
      options: group.options.map((option) => ({
        key: option.id,
        id: option.id,
        name: option.name,
        priceDelta: deltaText(option.priceDeltaCents),
        available: option.available,
      })),
    })),
  };
}

/** `-2.50`, `−2,5`, `+1` or empty (none) → cents; NaN when it is not an amount. */
export function parseDeltaCents(text: string): number {
  const normalised = text.trim().replace('−', '-').replace(',', '.');
  if (normalised === '') return 0;
  if (!/^[-+]?\d+(\.\d{1,2})?$/.test(normalised)) return Number.NaN;
  return Math.round(Number(normalised) * 100);
}

/** `20`, `7.5`, `7,5 %` → basis points; NaN when it is not a percentage with up to 2 decimals. */
export function parseVatBasisPoints(text: string): number {
  const normalised = text.trim().replace(/\s*%$/, '').replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(normalised)) return Number.NaN;
  return Math.round(Number(normalised) * 100);
}

/** A whole number as typed, else NaN. */
function parseWhole(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** The groups as the API takes them, and the fields it can't read, keyed as the API keys them. */
function optionGroupsBodyOf(groups: readonly OptionGroupValues[]): {
  groups: MenuOptionGroupBody[];
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const body = groups.map((group, g): MenuOptionGroupBody => {
    const at = `optionGroups.${String(g)}`;
    const min = parseWhole(group.min);
    const max = parseWhole(group.max);
    if (group.name.trim() === '')
      errors[`${at}.name`] = fieldMessage('menuItem', 'optionGroups.*.name', 'missing');
    if (Number.isNaN(min))
      errors[`${at}.min`] = fieldMessage('menuItem', 'optionGroups.*.min', 'notWhole');
    if (Number.isNaN(max))
      errors[`${at}.max`] = fieldMessage('menuItem', 'optionGroups.*.max', 'notWhole');
    if (group.options.length === 0) {
      errors[`${at}.options`] = fieldMessage('menuItem', 'optionGroups.*.options', 'missing');
    }
    // The numbers that don't fit together, said as the API would say them.
    if (!Number.isNaN(max) && max < 1) {
      errors[`${at}.max`] = fieldMessage('menuItem', 'optionGroups.*.max', 'tooSmall');
    } else if (!Number.isNaN(max) && group.options.length > 0 && max > group.options.length) {
      errors[`${at}.max`] = fieldMessage('menuItem', 'optionGroups.*.max', 'conflict');
    }
    if (!Number.isNaN(min) && !Number.isNaN(max) && min > max) {
      errors[`${at}.min`] = fieldMessage('menuItem', 'optionGroups.*.min', 'conflict');
    }
    return {
      ...(group.id === null ? {} : { id: group.id }),
      name: group.name.trim(),
      min,
      max,
      options: group.options.map((option, o) => {
        const optionAt = `${at}.options.${String(o)}`;
        const priceDeltaCents = parseDeltaCents(option.priceDelta);
        if (option.name.trim() === '') {
          errors[`${optionAt}.name`] = fieldMessage(
            'menuItem',
            'optionGroups.*.options.*.name',
            'missing',
          );
        }
        if (Number.isNaN(priceDeltaCents)) {
          errors[`${optionAt}.priceDeltaCents`] = fieldMessage(
            'menuItem',
            'optionGroups.*.options.*.priceDeltaCents',
            'notWhole',
          );
        }
        return {
          ...(option.id === null ? {} : { id: option.id }),
          name: option.name.trim(),
          priceDeltaCents,
          available: option.available,
        };
      }),
    };
  });
  return { groups: body, errors };
}

/** An item's groups as the API would take them back unchanged. */
function optionGroupsOfItem(item: AdminMenuItem): MenuOptionGroupBody[] {
  return item.optionGroups.map((group) => ({
    id: group.id,
    name: group.name,
    min: group.min,
    max: group.max,
    options: group.options.map((option) => ({
      id: option.id,
      name: option.name,
      priceDeltaCents: option.priceDeltaCents,
      available: option.available,
    })),
  }));
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
  const vatRateBasisPoints = parseVatBasisPoints(values.vatRate);
  if (Number.isNaN(vatRateBasisPoints)) {
    errors.vatRateBasisPoints = fieldMessage('menuItem', 'vatRateBasisPoints', 'notWhole');
  }
  const options = optionGroupsBodyOf(values.optionGroups);
  Object.assign(errors, options.errors);
  const full: Required<Omit<MenuItemBody, 'stockDelta' | 'station'>> = {
    name: values.name.trim(),
    description: values.description.trim(),
    category: values.category.trim(),
    priceCents,
    available: values.available,
    stock,
    allergens: parseAllergens(values.allergens),
    // The form does not move items: a new one goes first in its category, an edit keeps its place.
    sortOrder: original?.sortOrder ?? 0,
    vatRateBasisPoints,
    optionGroups: options.groups,
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
  if (full.vatRateBasisPoints !== original.vatRateBasisPoints) {
    body.vatRateBasisPoints = full.vatRateBasisPoints;
  }
  // Groups go as a whole (the API replaces them), and only when something in them changed.
  if (JSON.stringify(full.optionGroups) !== JSON.stringify(optionGroupsOfItem(original))) {
    body.optionGroups = full.optionGroups;
  }
  return { body, errors };
}
