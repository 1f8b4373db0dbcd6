import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MenuItem } from '@taproom/web-core/api/contracts';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

/** The menu (also the source of each ticket's allergens); refetched on `menu.updated`. */
export function useMenu() {
  return useQuery({
    queryKey: queryKeys.menu,
    queryFn: async () => (await api.get<MenuItem[]>('/menu', { skipAuth: true })).data,
  });
}

/** Takes an item off ("86") or puts it back. */
export function useSetAvailability() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, available }: { id: string; available: boolean }) =>
      (await api.patch<MenuItem>(`/menu/${encodeURIComponent(id)}/availability`, { available }))
        .data,
    onSuccess: (item) => {
      client.setQueryData<MenuItem[]>(queryKeys.menu, (items) =>
        items?.map((entry) => (entry.id === item.id ? { ...entry, ...item } : entry)),
      );
    },
  });
}

/** Takes one choice of an item off ("86 the halves") or puts it back; the item stays on. */
export function useSetOptionAvailability() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({
      itemId,
      optionId,
      available,
    }: {
      itemId: string;
      optionId: string;
      available: boolean;
    }) =>
      (
        await api.patch<MenuItem>(
          `/menu/${encodeURIComponent(itemId)}/options/${encodeURIComponent(optionId)}/availability`,
          { available },
        )
      ).data,
    onSuccess: (item) => {
      client.setQueryData<MenuItem[]>(queryKeys.menu, (items) =>
        items?.map((entry) => (entry.id === item.id ? { ...entry, ...item } : entry)),
      );
    },
  });
}
