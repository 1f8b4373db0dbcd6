/** One place for react-query keys, so live events and features agree on them. */
export const queryKeys = {
  menu: ['menu'] as const,
};
