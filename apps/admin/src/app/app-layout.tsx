import { Stack, Text } from '@mantine/core';
import { useLiveStream } from '@taproom/web-core/react/use-live-stream';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { ConnectionBadge } from '@taproom/web-core/ui/connection-badge';
import { IdleWarningDialog } from '@taproom/web-core/app/idle-warning-dialog';
import { SessionNotice } from '@taproom/web-core/app/session-notice';
import { SignOutButton } from '@taproom/web-core/app/sign-out-button';
import { createContext, useEffect, useRef } from 'react';
import type { ConnectionState } from '@taproom/web-core/live/event-stream';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { liveStream } from '@/lib/live-events';
import { queryClient } from '@/lib/query-client';
import { session } from '@/lib/session';
import { isSetupOnlyToken } from '@taproom/web-core/auth/token-expiry';
import { TwoFactorRequired } from '@/features/auth/components/two-factor-required';

const PAGES = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/orders', label: 'Orders', end: false },
  { to: '/menu', label: 'Menu', end: false },
  { to: '/users', label: 'Users', end: false },
  { to: '/sessions', label: 'Sessions', end: false },
  { to: '/audit', label: 'Audit log', end: false },
  { to: '/sales', label: 'Sales', end: false },
  { to: '/tables', label: 'Tables', end: false },
  { to: '/settings', label: 'Settings', end: false },
  { to: '/api-tokens', label: 'API tokens', end: false },
  { to: '/account', label: 'Your account', end: false },
] as const;

/** The live stream's state, for pages that show it. */
export const ConnectionContext = createContext<ConnectionState>('offline');

/** Side navigation, the signed-out notice (e.g. "You signed in on another device"), the page. */
export function AppLayout() {
  const state = useSessionState(session);
  const signedIn = state.status === 'signedIn';
  // TWO_FACTOR_ADMIN=required and no two-factor sign-in yet: only the setup until it is on.
  const setupOnly = signedIn && isSetupOnlyToken(state.accessToken);
  const connection = useLiveStream(liveStream, signedIn && !setupOnly);
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);

  // Nothing of the admin's data outlives the session in this tab.
  useEffect(() => {
    if (state.status === 'signedOut') queryClient.clear();
  }, [state.status]);

  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <ConnectionContext value={connection}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <div className="console">
        <nav className="console-nav" aria-label="Console">
          <Text fw={800} fz="lg" c="orange.9" px={12} pb={8}>
            Taproom Admin
          </Text>
          {signedIn &&
            !setupOnly &&
            PAGES.map((page) => (
              <NavLink key={page.to} to={page.to} end={page.end}>
                {page.label}
              </NavLink>
            ))}
          {signedIn && (
            <Stack gap={6} mt="auto" px={12} pt="md">
              {!setupOnly && <ConnectionBadge state={connection} />}
              <Text size="sm" c="dimmed">
                {state.user?.name}
              </Text>
              <SignOutButton
                session={session}
                variant="default"
                size="sm"
                onSignedOut={() => void navigate('/sign-in')}
              />
            </Stack>
          )}
        </nav>
        <main
          id="main"
          className="console-main"
          ref={main}
          tabIndex={-1}
          style={{ outline: 'none' }}
        >
          <SessionNotice session={session} />
          <IdleWarningDialog session={session} />
          {setupOnly ? <TwoFactorRequired /> : <Outlet />}
        </main>
      </div>
    </ConnectionContext>
  );
}
