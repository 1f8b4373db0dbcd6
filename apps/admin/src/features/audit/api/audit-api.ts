import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AuditEvent, Page } from '@taproom/web-core/api/contracts';
import { PAGE_SIZE } from '@/config/app-config';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

export interface AuditQuery {
  type: string;
  /** A name or email, or part of one: whom an entry is about, who acted, or the address tried. */
  q: string;
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
            ...(query.q !== '' ? { q: query.q } : {}),
            page: query.page,
            limit: PAGE_SIZE,
          },
        })
      ).data,
    placeholderData: keepPreviousData,
  });
}
