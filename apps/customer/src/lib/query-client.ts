import { createQueryClient } from '@taproom/web-core/app/create-query-client';

export const queryClient = createQueryClient();
