import { MantineProvider } from '@mantine/core';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type DataRouter, RouterProvider } from 'react-router';
import { taproomCssVariables, taproomTheme } from '../ui/theme';

/** An app's root: Taproom's Mantine theme, its query client and its router. */
export function AppProviders({
  queryClient,
  router,
}: {
  queryClient: QueryClient;
  router: DataRouter;
}) {
  return (
    <MantineProvider
      theme={taproomTheme}
      cssVariablesResolver={taproomCssVariables}
      defaultColorScheme="light"
    >
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
