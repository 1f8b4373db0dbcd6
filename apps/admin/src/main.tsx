import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/app/styles';
import { AppProviders } from '@taproom/web-core/app/app-providers';
import { router } from '@/app/router';
import { queryClient } from '@/lib/query-client';
import { session } from '@/lib/session';

// One refresh call restores the session (the rt_admin cookie) while the page renders.
void session.restore();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <AppProviders queryClient={queryClient} router={router}>
      {/* Styled confirmations (confirmAction) render here. */}
      <ModalsProvider />
      {/* Outcomes of what an admin did, with undo where it can be undone. */}
      <Notifications position="bottom-right" limit={4} />
    </AppProviders>
  </StrictMode>,
);
