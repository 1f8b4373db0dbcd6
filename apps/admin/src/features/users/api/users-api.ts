import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminUserView, NewUser, Page, Role } from '@taproom/web-core/api/contracts';
import { PAGE_SIZE } from '@/config/app-config';
import { queryKeys } from '@/lib/query-keys';
import { queryClient } from '@/lib/query-client';
import { api } from '@/lib/session';

export interface UserQuery {
  q: string;
  role: Role | '';
  page: number;
}

export function useUsers(query: UserQuery) {
  return useQuery({
    queryKey: [...queryKeys.users, query],
    queryFn: async () =>
      (
        await api.get<Page<AdminUserView>>('/admin/users', {
          params: {
            ...(query.q.trim() !== '' ? { q: query.q.trim() } : {}),
            ...(query.role !== '' ? { role: query.role } : {}),
            page: query.page,
            limit: PAGE_SIZE,
          },
        })
      ).data,
    placeholderData: keepPreviousData,
  });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: NewUser) => (await api.post<AdminUserView>('/admin/users', body)).data,
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

/** What an admin may change about a user. */
export interface UserPatch {
  role?: Role;
  active?: boolean;
  name?: string;
  password?: string;
}

/** Changes a user, then refreshes every list that shows them (users, sessions, audit). */
export async function patchUser(id: string, patch: UserPatch): Promise<AdminUserView> {
  const { data } = await api.patch<AdminUserView>(`/admin/users/${encodeURIComponent(id)}`, patch);
  void queryClient.invalidateQueries({ queryKey: queryKeys.users });
  void queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
  void queryClient.invalidateQueries({ queryKey: queryKeys.audit });
  return data;
}

/**
 * Turns a user's two-factor sign-in off and signs them out everywhere (they lost their
 * authenticator and recovery codes), then refreshes the lists that show them.
 */
export async function resetTwoFactor(id: string): Promise<void> {
  await api.post(`/admin/users/${encodeURIComponent(id)}/2fa/reset`, {});
  void queryClient.invalidateQueries({ queryKey: queryKeys.users });
  void queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
  void queryClient.invalidateQueries({ queryKey: queryKeys.audit });
}
