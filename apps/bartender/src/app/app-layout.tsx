import { Button, Group, Text } from '@mantine/core';
import { useLiveStream } from '@taproom/web-core/react/use-live-stream';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { ConnectionBadge } from '@taproom/web-core/ui/connection-badge';
import { IdleWarningDialog } from '@taproom/web-core/app/idle-warning-dialog';
import { SessionNotice } from '@taproom/web-core/app/session-notice';
import { SignOutButton } from '@taproom/web-core/app/sign-out-button';
import { useEffect, useState } from 'react';
import { Link, Outlet, useNavigate } from 'react-router';
import { isSetupOnlyToken } from '@taproom/web-core/auth/token-expiry';
import { ConnectionBanner } from '@/components/connection-banner';
import { TwoFactorRequired } from '@/features/auth/components/two-factor-required';
import { MenuDrawer } from '@/features/menu/components/menu-drawer';
import { liveStream } from '@/lib/live-events';
import { queryClient } from '@/lib/query-client';
import { session, sessionActivity } from '@/lib/session';

/** Header (who, live state, menu, sign out), the connection banner, and the queue: one screen. */
export function AppLayout() {
  const state = useSessionState(session);
  const signedIn = state.status === 'signedIn';
  // An admin without two-factor sign-in under TWO_FACTOR_ADMIN=required: only the setup.
  const setupOnly = signedIn && isSetupOnlyToken(state.accessToken);
  const working = signedIn && !setupOnly;
  const connection = useLiveStream(liveStream, working);
  const [menuOpen, setMenuOpen] = useState(false);
  const navigate = useNavigate();

  useEffect(() => {
    if (state.status === 'signedOut') {
      queryClient.clear();
    }
  }, [state.status]);

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to the queue
      </a>
      <header className="shell-header">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Text fw={800} fz="xl" c="orange.9" style={{ whiteSpace: 'nowrap' }}>
              Taproom
              <Text span inherit visibleFrom="xs">
                {' '}
                Bar
              </Text>
            </Text>
            {working && <ConnectionBadge state={connection} />}
          </Group>
          {signedIn && (
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" c="dimmed" visibleFrom="sm" truncate="end" maw={220}>
                {state.user?.name}
              </Text>
              {working && (
                <>
                  <Button
                    variant="default"
                    px="sm"
                    onClick={() => {
                      setMenuOpen(true);
                    }}
                  >
                    Menu / 86
                  </Button>
                  <Button component={Link} to="/account" variant="subtle" px="xs">
                    Account
                  </Button>
                </>
              )}
              <SignOutButton
                session={session}
                variant="subtle"
                px="xs"
                onSignedOut={() => void navigate('/sign-in')}
              />
            </Group>
          )}
        </Group>
      </header>
      <main id="main" className="shell-main" tabIndex={-1} style={{ outline: 'none' }}>
        <SessionNotice session={session} marginBottom={0} />
        <IdleWarningDialog session={session} activity={sessionActivity} />
        {working && <ConnectionBanner state={connection} />}
        {setupOnly ? <TwoFactorRequired /> : <Outlet />}
      </main>
      {working && (
        <MenuDrawer
          opened={menuOpen && working}
          onClose={() => {
            setMenuOpen(false);
          }}
        />
      )}
    </div>
  );
}
