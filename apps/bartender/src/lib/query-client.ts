import { createQueryClient } from '@taproom/web-core/app/create-query-client';

/** Bounded cache for a 12-hour shift: unused queries go after a minute. */
export const queryClient = createQueryClient({ gcTime: 60_000 });
