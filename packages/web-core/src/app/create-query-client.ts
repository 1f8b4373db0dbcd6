import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';

/**
 * An app's query client: data is fresh for 30 s and refetched when the window regains focus;
 * queries retry only what might work the second time (network, 5xx), never a 4xx; mutations
 * never retry. `gcTime` bounds the cache (an app open for a whole shift).
 */
export function createQueryClient({ gcTime }: { gcTime?: number } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        ...(gcTime === undefined ? {} : { gcTime }),
        refetchOnWindowFocus: true,
        retry: (failures, error) =>
          failures < 2 &&
          (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      },
      mutations: { retry: false },
    },
  });
}
