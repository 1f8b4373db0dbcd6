import type { Order } from '@taproom/web-core/api/contracts';

/**
 * What an order was, in a few words: "2× Pilsner, 1× Nachos and 3 more". Lines of the same item
 * (with different notes) count together; at most `shown` items are named.
 */
export function itemsSummary(items: Order['items'], shown = 3): string {
  const counts = new Map<string, { name: string; quantity: number }>();
  for (const line of items) {
    const entry = counts.get(line.menuItemId);
    if (entry === undefined)
      counts.set(line.menuItemId, { name: line.name, quantity: line.quantity });
    else entry.quantity += line.quantity;
  }
  const all = [...counts.values()];
  const named = all.slice(0, shown).map(({ name, quantity }) => `${String(quantity)}× ${name}`);
  const rest = all.length - named.length;
  return rest > 0 ? `${named.join(', ')} and ${String(rest)} more` : named.join(', ');
}
