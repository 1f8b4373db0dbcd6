import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/app/styles';
import { AppProviders } from '@taproom/web-core/app/app-providers';
import { router } from '@/app/router';
import { queryClient } from '@/lib/query-client';
import { session } from '@/lib/session';

// One refresh call restores the session (the rt_bartender cookie) while the page renders.
void session.restore();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <AppProviders queryClient={queryClient} router={router}>
      {/* The receipt dialog (openReceipt) renders here. */}
      <ModalsProvider />
      {/* Undo toasts and shift notices: bottom centre, where a thumb is; few at a time. */}
      <Notifications position="bottom-center" limit={3} />
    </AppProviders>
  </StrictMode>,
);
