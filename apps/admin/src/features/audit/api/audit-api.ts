import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Page } from '@taproom/web-core/api/contracts';
import { PAGE_SIZE } from '@/config/app-config';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

export const AUDIT_TYPES = [
  'login_succeeded',
  'login_failed',
  'login_rate_limited',
  'refresh_reused',
  'session_revoked',
  'password_changed',
  'user_created',
  'user_role_changed',
  'user_deactivated',
  'order_status_changed',
  'order_cancelled',
] as const;

export interface AuditEvent {
  id: string;
  type: string;
  at: string;
  userId: string | null;
  sessionId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

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
