import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AuditEvent, Page } from '@taproom/web-core/api/contracts';
import { PAGE_SIZE } from '@/config/app-config';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

export interface AuditQuery {
  type: string;
  userId: string;
  page: number;
}

export function useAudit(query: AuditQuery) {
  return useQuery({
    queryKey: [...queryKeys.audit, query],
    queryFn: async () =>
      (
        await api.get<Page<AuditEvent>>('/admin/audit', {
          params: {
            ...(query.type !== '' ? { type: query.type } : {}),
            ...(query.userId !== '' ? { userId: query.userId } : {}),
            page: query.page,
            limit: PAGE_SIZE,
          },
        })
      ).data,
    placeholderData: keepPreviousData,
  });
}
