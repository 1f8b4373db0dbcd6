import type { ApiError } from '@taproom/web-core/api/api-error';
import type { CartLine } from '@/lib/cart-store';

/** `details` of `400 OPTIONS_INVALID`: which item, which group or option, and why. */
interface OptionsInvalidDetails {
  menuItemId?: string;
  groupId?: string;
  groupName?: string;
  optionId?: string;
  reason?: string;
}

function detailsOf(value: unknown): OptionsInvalidDetails {
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const text = (key: string): string | undefined =>
    typeof record[key] === 'string' ? record[key] : undefined;
  return {
    menuItemId: text('menuItemId'),
    groupId: text('groupId'),
    groupName: text('groupName'),
    optionId: text('optionId'),
    reason: text('reason'),
  };
}

/**
 * Why the server refused the choices of a line, in words naming the item and the group
 * ("Pilsner: choose an option for “Size”."), from the cart the customer sees.
 */
export function optionsInvalidWords(details: unknown, lines: readonly CartLine[]): string {
  const { menuItemId, groupName, optionId, reason } = detailsOf(details);
  const line = lines.find((candidate) => candidate.menuItemId === menuItemId);
  const item = line?.name ?? 'An item in your order';
  const option = lines
    .flatMap((candidate) => candidate.options)
    .find((candidate) => candidate.id === optionId);
  const group = groupName ?? option?.groupName;
  const inGroup = group === undefined ? '' : ` for “${group}”`;
  switch (reason) {
    case 'too_few':
      return `${item}: please choose${group === undefined ? ' the required options' : ` an option for “${group}”`}. Remove it and add it again with your choice.`;
    case 'too_many':
      return `${item}: too many options chosen${inGroup}. Remove it and add it again.`;
    case 'unavailable':
      return `${item}: ${option === undefined ? 'one of your choices' : `“${option.name}”`}${inGroup} isn’t available right now. Remove it and choose something else.`;
    case 'duplicate':
      return `${item}: an option${inGroup} was chosen twice. Remove it and add it again.`;
    case undefined:
    default:
      return `${item}: one of your choices${inGroup} is no longer on the menu. Remove it and add it again.`;
  }
}

/** What the cart says about a refused order: the choices in words, else the usual summary. */
export function refusalWords(error: ApiError, lines: readonly CartLine[]): string {
  return error.code === 'OPTIONS_INVALID'
    ? optionsInvalidWords(error.details, lines)
    : error.summary('order');
}
