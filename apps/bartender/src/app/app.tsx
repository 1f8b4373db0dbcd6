import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { taproomCssVariables, taproomTheme } from '@taproom/web-core/ui/theme';
import { RouterProvider } from 'react-router';
import { queryClient } from '@/lib/query-client';
import { router } from './router';

export function App() {
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
