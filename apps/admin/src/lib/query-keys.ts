/** One place for react-query keys, so live events and features agree on them. */
export const queryKeys = {
  dashboard: ['dashboard'] as const,
  menu: ['menu'] as const,
  orders: ['orders'] as const,
  users: ['users'] as const,
  sessions: ['sessions'] as const,
  audit: ['audit'] as const,
  sales: ['sales'] as const,
  tables: ['tables'] as const,
  apiTokens: ['api-tokens'] as const,
};
