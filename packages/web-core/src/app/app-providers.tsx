import { MantineProvider } from '@mantine/core';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type DataRouter, RouterProvider } from 'react-router';
import { taproomCssVariables, taproomTheme } from '../ui/theme';

/**
 * An app's root: Taproom's Mantine theme, its query client and its router; `children` go inside
 * both next to the router (an app's toast region, its modals, which may query).
 */
export function AppProviders({
  queryClient,
  router,
  children,
}: {
  queryClient: QueryClient;
  router: DataRouter;
  children?: ReactNode;
}) {
  return (
    <MantineProvider
      theme={taproomTheme}
      cssVariablesResolver={taproomCssVariables}
      defaultColorScheme="light"
    >
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
        {children}
      </QueryClientProvider>
    </MantineProvider>
  );
}
