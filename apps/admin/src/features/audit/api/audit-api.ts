import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AuditEventType, AuditPage } from '@taproom/web-core/api/contracts';
import { PAGE_SIZE } from '@/config/app-config';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

export interface AuditQuery {
  /** Any of these types; none means every type. */
  types: readonly AuditEventType[];
  /** Only entries about this person ('' for everyone). */
  userId: string;
  /** ISO instants: at or after `from`, before `to` ('' for open-ended). */
  from: string;
  to: string;
  page: number;
  limit?: number;
}

export function useAudit(query: AuditQuery) {
  return useQuery({
    queryKey: [...queryKeys.audit, query],
    queryFn: async () =>
      (
        await api.get<AuditPage>('/admin/audit', {
          params: {
            ...(query.types.length > 0 ? { type: query.types.join(',') } : {}),
            ...(query.userId !== '' ? { userId: query.userId } : {}),
            ...(query.from !== '' ? { from: query.from } : {}),
            ...(query.to !== '' ? { to: query.to } : {}),
            page: query.page,
            limit: query.limit ?? PAGE_SIZE,
          },
        })
      ).data,
    placeholderData: keepPreviousData,
  });
}

/** What a person's recent sign-ins are made of. */
export const SIGN_IN_TYPES: readonly AuditEventType[] = [
  'login_succeeded',
  'login_failed',
  'login_denied',
  'login_rate_limited',
];
