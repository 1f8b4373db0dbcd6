import type { MenuItem, MenuOptionGroup } from '@taproom/web-core/api/contracts';
import type { CartOption } from '@/lib/cart-store';

/** What is picked in each group of an item, by group id: option ids. */
export type Choices = Record<string, readonly string[]>;

/**
 * The sheet's starting point: a required group of one (a size) starts at its first choice the
 * bar has, so the usual order is one tap; everything else starts empty.
 */
export function initialChoices(item: Pick<MenuItem, 'optionGroups'>): Choices {
  const choices: Record<string, string[]> = {};
  for (const group of item.optionGroups) {
    const first = group.options.find((option) => option.available);
    choices[group.id] = group.min === 1 && group.max === 1 && first !== undefined ? [first.id] : [];
  }
  return choices;
}

/** The picks of a group that can still be had (an option 86'd meanwhile drops out). */
export function pickedIn(group: MenuOptionGroup, choices: Choices): string[] {
  const picked = new Set(choices[group.id] ?? []);
  return group.options
    .filter((option) => option.available && picked.has(option.id))
    .map((option) => option.id);
}

/** How a group is to be chosen, for its heading: "Required · choose 1", "Optional · up to 3". */
export function groupRule(group: Pick<MenuOptionGroup, 'min' | 'max'>): string {
  if (group.min === 0)
    return group.max === 1 ? 'Optional' : `Optional · up to ${String(group.max)}`;
  if (group.min === group.max) return `Required · choose ${String(group.min)}`;
  return `Required · choose ${String(group.min)} to ${String(group.max)}`;
}

/** What is missing in a group, in words naming it; null when its picks are fine. */
export function groupProblem(group: MenuOptionGroup, picked: number): string | null {
  if (picked < group.min) {
    return group.min === 1
      ? `Choose one option for “${group.name}”.`
      : `Choose at least ${String(group.min)} options for “${group.name}”.`;
  }
  if (picked > group.max) {
    return `Choose at most ${String(group.max)} ${group.max === 1 ? 'option' : 'options'} for “${group.name}”.`;
  }
  return null;
}

/** The picks as cart choices, in the menu's group and option order. */
export function cartOptionsOf(
  item: Pick<MenuItem, 'optionGroups'>,
  choices: Choices,
): CartOption[] {
  return item.optionGroups.flatMap((group) => {
    const picked = new Set(pickedIn(group, choices));
    return group.options
      .filter((option) => picked.has(option.id))
      .map((option) => ({
        id: option.id,
        groupName: group.name,
        name: option.name,
        priceDeltaCents: option.priceDeltaCents,
      }));
  });
}
