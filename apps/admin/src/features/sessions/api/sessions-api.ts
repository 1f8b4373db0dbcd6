import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminSessionView, AppName, Page, Role } from '@taproom/web-core/api/contracts';
import { PAGE_SIZE } from '@/config/app-config';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

export interface SessionQuery {
  userId: string;
  role: Role | '';
  app: AppName | '';
  page: number;
}

export function useAllSessions(query: SessionQuery) {
  return useQuery({
    queryKey: [...queryKeys.sessions, query],
    queryFn: async () =>
      (
        await api.get<Page<AdminSessionView>>('/admin/sessions', {
          params: {
            ...(query.userId !== '' ? { userId: query.userId } : {}),
            ...(query.role !== '' ? { role: query.role } : {}),
            ...(query.app !== '' ? { app: query.app } : {}),
            page: query.page,
            limit: PAGE_SIZE,
          },
        })
      ).data,
    placeholderData: keepPreviousData,
  });
}

export function useEndSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.delete(`/admin/sessions/${encodeURIComponent(id)}`);
    },
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.sessions }),
  });
}

export function useEndUserSessions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string) => {
      await api.delete(`/admin/users/${encodeURIComponent(userId)}/sessions`);
    },
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.sessions }),
  });
}
