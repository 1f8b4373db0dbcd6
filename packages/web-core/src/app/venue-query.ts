import { queryOptions } from '@tanstack/react-query';
import type { AxiosInstance } from 'axios';
import type { Venue } from '../api/contracts';

/** The venue's query key: invalidate it on `venue.updated` (and `resync`). */
export const VENUE_QUERY_KEY = ['venue'] as const;

/**
 * `GET /api/venue` (public) as a query: stations, the recall window, ticket age colours. It
 * changes only when an admin saves the settings, which every app hears as `venue.updated`.
 */
export function venueQuery(api: AxiosInstance) {
  return queryOptions({
    queryKey: VENUE_QUERY_KEY,
    queryFn: async () => (await api.get<Venue>('/venue', { skipAuth: true })).data,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
