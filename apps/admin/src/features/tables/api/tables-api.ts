import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminTable, TableBody } from '@taproom/web-core/api/contracts';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

const path = (id: string) => `/admin/tables/${encodeURIComponent(id)}`;

/** Every table, by number, each with the address its QR code opens. */
export function useTables() {
  return useQuery({
    queryKey: queryKeys.tables,
    queryFn: async () => (await api.get<AdminTable[]>('/admin/tables')).data,
  });
}

function useInvalidateTables() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: queryKeys.tables });
}

export function useCreateTable() {
  const invalidate = useInvalidateTables();
  return useMutation({
    mutationFn: async (body: TableBody) => (await api.post<AdminTable>('/admin/tables', body)).data,
    onSuccess: invalidate,
  });
}

export function useRelabelTable() {
  const invalidate = useInvalidateTables();
  return useMutation({
    mutationFn: async ({ id, label }: { id: string; label: string | null }) =>
      (await api.patch<AdminTable>(path(id), { label })).data,
    onSuccess: invalidate,
  });
}

/** A new code for the table: the printed one stops working at once. */
export function useRotateTable() {
  const invalidate = useInvalidateTables();
  return useMutation({
    mutationFn: async (id: string) => (await api.post<AdminTable>(`${path(id)}/rotate`)).data,
    onSuccess: invalidate,
  });
}

export function useDeleteTable() {
  const invalidate = useInvalidateTables();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.delete(path(id));
    },
    onSuccess: invalidate,
  });
}
