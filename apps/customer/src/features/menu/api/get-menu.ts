import { queryOptions, useQuery } from '@tanstack/react-query';
import type { MenuItem } from '@taproom/web-core/api/contracts';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

/** The public menu; refetched whenever `menu.updated` arrives on the live stream. */
export const menuQuery = queryOptions({
  queryKey: queryKeys.menu,
  queryFn: async () => (await api.get<MenuItem[]>('/menu', { skipAuth: true })).data,
});

export function useMenu() {
  return useQuery(menuQuery);
}

/** Menu items grouped by category, categories in the order they first appear. */
export function groupByCategory(items: readonly MenuItem[]): [string, MenuItem[]][] {
  const groups = new Map<string, MenuItem[]>();
  for (const item of items) {
    const group = groups.get(item.category);
    if (group === undefined) groups.set(item.category, [item]);
    else group.push(item);
  }
  return [...groups.entries()];
}
