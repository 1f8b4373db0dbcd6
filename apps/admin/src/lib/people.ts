import { useQuery } from '@tanstack/react-query';
import type { AdminSessionView, AdminUserView, Page, Role } from '@taproom/web-core/api/contracts';
import { queryKeys } from './query-keys';
import { api } from './session';

/** People as every page names them: one by id, a few by name or email, their device count. */

/** A user id as the API writes them; anything else in an address names nobody. */
export function isUserId(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/** One user as the server has them now. */
export async function fetchUser(id: string): Promise<AdminUserView> {
  return (await api.get<AdminUserView>(`/admin/users/${encodeURIComponent(id)}`)).data;
}

/** One user by id; nothing is asked for an empty or malformed id. */
export function useUser(id: string) {
  return useQuery({
    queryKey: [...queryKeys.users, 'one', id],
    queryFn: () => fetchUser(id),
    enabled: isUserId(id),
  });
}

/** The first `limit` people whose name or email contains `q` (everyone, newest first, for ''). */
export function usePeopleSearch(q: string, limit: number, role?: Role) {
  return useQuery({
    queryKey: [...queryKeys.users, 'search', q, limit, role],
    queryFn: async () =>
      (
        await api.get<Page<AdminUserView>>('/admin/users', {
          params: { ...(q !== '' ? { q } : {}), ...(role ? { role } : {}), limit },
        })
      ).data,
  });
}

/** How many devices (active sessions, every app) a person is signed in on. */
export async function countSessions(userId: string): Promise<number> {
  const { data } = await api.get<Page<AdminSessionView>>('/admin/sessions', {
    params: { userId, limit: 1 },
  });
  return data.total;
}
