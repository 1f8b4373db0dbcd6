/**
 * Option groups of a menu item ("Size": Pint / Half; "Extras": Bacon, Cheese…), as the item's row
 * stores them (`menu_items.option_groups`, JSON) and the API shows them. Groups and options are
 * in their display order; their ids are uuids that stay the same across edits.
 */

export interface MenuOption {
  readonly id: string;
  readonly name: string;
  /** Added to the item's price for each unit (may be negative: a half pint). */
  readonly priceDeltaCents: number;
  /** False while the bar has taken the option off ("86"). */
  readonly available: boolean;
}

export interface MenuOptionGroup {
  readonly id: string;
  readonly name: string;
  /** Fewest options a line must choose from the group (0: optional). */
  readonly min: number;
  /** Most options a line may choose from the group (1: one of). */
  readonly max: number;
  readonly options: readonly MenuOption[];
}

/** At most this many groups per item, and options per group. */
export const MAX_OPTION_GROUPS = 10;
export const MAX_OPTIONS_PER_GROUP = 20;
/** How far one option may move a price, either way. */
export const MAX_PRICE_DELTA_CENTS = 100_000;

/**
 * The lowest unit price that a choice satisfying every group's `min` and `max` can reach:
 * each group's `min` cheapest options, plus any further discounts up to its `max`.
 */
export function cheapestUnitPriceCents(
  priceCents: number,
  groups: readonly Pick<MenuOptionGroup, 'min' | 'max' | 'options'>[],
): number {
  let price = priceCents;
  for (const group of groups) {
    const deltas = group.options.map((option) => option.priceDeltaCents).sort((a, b) => a - b);
    deltas.forEach((delta, index) => {
      if (index < group.min || (index < group.max && delta < 0)) price += delta;
    });
  }
  return price;
}
