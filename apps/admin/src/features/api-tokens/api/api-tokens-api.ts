import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiToken, ApiTokenBody, CreatedApiToken } from '@taproom/web-core/api/contracts';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

/** The signed-in admin's API tokens that are not revoked, newest first. */
export function useApiTokens() {
  return useQuery({
    queryKey: queryKeys.apiTokens,
    queryFn: async () => (await api.get<ApiToken[]>('/tokens')).data,
  });
}

function useInvalidateApiTokens() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: queryKeys.apiTokens });
}

/** A new token; its answer is the only time the token itself is seen. */
export function useCreateApiToken() {
  const invalidate = useInvalidateApiTokens();
  return useMutation({
    mutationFn: async (body: ApiTokenBody) =>
      (await api.post<CreatedApiToken>('/tokens', body)).data,
    onSuccess: invalidate,
  });
}

export function useRevokeApiToken() {
  const invalidate = useInvalidateApiTokens();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.delete(`/tokens/${encodeURIComponent(id)}`);
    },
    onSuccess: invalidate,
  });
}
