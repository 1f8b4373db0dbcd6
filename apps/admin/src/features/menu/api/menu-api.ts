import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminMenuItem, MenuItemBody } from '@taproom/web-core/api/contracts';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

/** Every item, archived ones included. */
export function useAdminMenu() {
  return useQuery({
    queryKey: queryKeys.menu,
    queryFn: async () => (await api.get<AdminMenuItem[]>('/admin/menu-items')).data,
  });
}

function useInvalidateMenu() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: queryKeys.menu });
}

export function useSaveMenuItem() {
  const invalidate = useInvalidateMenu();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string | null; body: MenuItemBody }) =>
      id === null
        ? (await api.post<AdminMenuItem>('/admin/menu-items', body)).data
        : (await api.patch<AdminMenuItem>(`/admin/menu-items/${encodeURIComponent(id)}`, body))
            .data,
    onSuccess: invalidate,
  });
}

export function useArchiveMenuItem() {
  const invalidate = useInvalidateMenu();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.delete(`/admin/menu-items/${encodeURIComponent(id)}`);
    },
    onSuccess: invalidate,
  });
}

export function useSetAvailability() {
  const invalidate = useInvalidateMenu();
  return useMutation({
    mutationFn: async ({ id, available }: { id: string; available: boolean }) =>
      (
        await api.patch<AdminMenuItem>(`/menu/${encodeURIComponent(id)}/availability`, {
          available,
        })
      ).data,
    onSuccess: invalidate,
  });
}

/** Brings an archived item back onto the menu: the undo of an archive. */
export function useRestoreMenuItem() {
  const invalidate = useInvalidateMenu();
  return useMutation({
    mutationFn: async (id: string) =>
      (await api.post<AdminMenuItem>(`/admin/menu-items/${encodeURIComponent(id)}/restore`)).data,
    onSuccess: invalidate,
  });
}
