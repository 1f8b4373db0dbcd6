import type { MenuOptionGroup } from '../menu/option-groups.js';

/** An option as an order line keeps it: a snapshot of the menu when the order was placed. */
export interface LineOption {
  readonly id: string;
  readonly groupName: string;
  readonly name: string;
  readonly priceDeltaCents: number;
}

export const OPTION_PROBLEMS = [
  'too_few',
  'too_many',
  'unknown_option',
  'unavailable',
  'duplicate',
] as const;
export type OptionProblemReason = (typeof OPTION_PROBLEMS)[number];

/** Why a line's options were refused: the `details` of `400 OPTIONS_INVALID`. */
export interface OptionProblem {
  readonly menuItemId: string;
  readonly groupId?: string;
  readonly groupName?: string;
  readonly optionId?: string;
  readonly reason: OptionProblemReason;
}

export type OptionChoice =
  | {
      readonly ok: true;
      /** In the item's group order, then option order (not the order they were sent in). */
      readonly options: LineOption[];
      /** What the options add to one unit's price (may be negative). */
      readonly priceDeltaCents: number;
    }
  | { readonly ok: false; readonly problem: OptionProblem };

/**
 * Checks one line's chosen options (lower-case uuids) against its item's groups and prices them.
 * The first problem found is reported, in this order: an option given twice, an option that is
 * not one of the item's, an option taken off, then each group in display order (too few, too
 * many).
 */
export function chooseOptions(
  item: { readonly id: string; readonly optionGroups: readonly MenuOptionGroup[] },
  optionIds: readonly string[],
): OptionChoice {
  const fail = (problem: Omit<OptionProblem, 'menuItemId'>): OptionChoice => ({
    ok: false,
    problem: { menuItemId: item.id, ...problem },
  });
  const seen = new Set<string>();
  for (const optionId of optionIds) {
    if (seen.has(optionId)) return fail({ optionId, reason: 'duplicate' });
    seen.add(optionId);
  }
  const groupOf = new Map<string, MenuOptionGroup>();
  for (const group of item.optionGroups) {
    for (const option of group.options) groupOf.set(option.id, group);
  }
  for (const optionId of optionIds) {
    const group = groupOf.get(optionId);
    if (!group) return fail({ optionId, reason: 'unknown_option' });
    const option = group.options.find((candidate) => candidate.id === optionId);
    if (option?.available !== true) {
      return fail({ groupId: group.id, groupName: group.name, optionId, reason: 'unavailable' });
    }
  }
  const options: LineOption[] = [];
  let priceDeltaCents = 0;
  for (const group of item.optionGroups) {
    const chosen = group.options.filter((option) => seen.has(option.id));
    if (chosen.length < group.min) {
      return fail({ groupId: group.id, groupName: group.name, reason: 'too_few' });
    }
    if (chosen.length > group.max) {
      return fail({ groupId: group.id, groupName: group.name, reason: 'too_many' });
    }
    for (const option of chosen) {
      options.push({
        id: option.id,
        groupName: group.name,
        name: option.name,
        priceDeltaCents: option.priceDeltaCents,
      });
      priceDeltaCents += option.priceDeltaCents;
    }
  }
  return { ok: true, options, priceDeltaCents };
}

/** A sentence for a person about an {@link OptionProblem} of the item `itemName`. */
export function describeOptionProblem(problem: OptionProblem, itemName: string): string {
  const group = problem.groupName ?? 'the options';
  switch (problem.reason) {
    case 'too_few':
      return `Choose more from ${group} for ${itemName}.`;
    case 'too_many':
      return `Choose fewer from ${group} for ${itemName}.`;
    case 'unknown_option':
      return `An option chosen for ${itemName} is not one of its options.`;
    case 'unavailable':
      return `An option chosen for ${itemName} is not available right now.`;
    case 'duplicate':
      return `An option for ${itemName} is chosen twice.`;
  }
}
