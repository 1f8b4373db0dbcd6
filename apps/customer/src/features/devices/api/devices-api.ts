import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionView } from '@taproom/web-core/api/contracts';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

/** Where this account is signed in, most recently active first. */
export function useDevices() {
  return useQuery({
    queryKey: queryKeys.sessions,
    queryFn: async () => (await api.get<SessionView[]>('/sessions')).data,
  });
}

/** Signs one other device out. */
export function useSignOutDevice() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.delete(`/sessions/${encodeURIComponent(id)}`);
    },
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.sessions }),
  });
}

/** Signs out every device but this one. */
export function useSignOutOthers() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await api.post('/auth/logout-all', { keepCurrent: true });
    },
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.sessions }),
  });
}
