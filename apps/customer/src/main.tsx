import { ModalsProvider } from '@mantine/modals';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@/app/styles';
import { AppProviders } from '@taproom/web-core/app/app-providers';
import { router } from '@/app/router';
import { registerServiceWorker } from '@/lib/push';
import { queryClient } from '@/lib/query-client';
import { session } from '@/lib/session';

// One refresh call restores the session (the rt_customer cookie) while the page renders.
void session.restore();
// The app shell offline and ready alerts; not in `npm run dev` (a worker would keep stale code).
if (import.meta.env.PROD) registerServiceWorker();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <AppProviders queryClient={queryClient} router={router}>
      {/* Styled confirmations (confirmAction) render here. */}
      <ModalsProvider />
    </AppProviders>
  </StrictMode>,
);
