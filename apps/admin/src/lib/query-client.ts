import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '@taproom/web-core/api/api-error';

/** Retries only what might work the second time (network, 5xx), never a 4xx. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // Bounded cache for a 12-hour shift: unused queries go after a minute.
      gcTime: 60_000,
      refetchOnWindowFocus: true,
      retry: (failures, error) =>
        failures < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
    },
    mutations: { retry: false },
  },
});
