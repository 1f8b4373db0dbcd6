import { Button, Divider, Paper, Stack, Text, Title } from '@mantine/core';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ChangePasswordForm } from '@taproom/web-core/account/change-password-form';
import { RecentSignIns } from '@taproom/web-core/account/recent-sign-ins';
import { TwoFactorPanel } from '@taproom/web-core/account/two-factor-panel';
import { YourDevices } from '@taproom/web-core/account/your-devices';
import { RegisterForm } from '@/features/auth/components/register-form';
import { disablePushBeforeSignOut } from '@/lib/push';
import { api, session } from '@/lib/session';

export default function AccountRoute() {
  const { user } = useSessionState(session);
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const guest = user?.role === 'guest';
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Account
      </Title>
      {user !== null && (
        <Paper withBorder p="md">
          <Text fw={600}>{guest ? 'Guest' : user.name}</Text>
          <Text size="sm" c="dimmed">
            {guest
              ? `Ordering at table ${String(user.tableNumber ?? '')}, without an account`
              : user.email}
          </Text>
        </Paper>
      )}
      {guest && (
        <Paper withBorder p="md">
          <RegisterForm guest onRegistered={() => void navigate('/orders')} />
        </Paper>
      )}
      <Button
        variant="default"
        loading={busy}
        onClick={() => {
          setBusy(true);
          // Alerts stop with the session: the server forgets this device while the token works.
          void disablePushBeforeSignOut()
            .then(() => session.logout())
            .finally(() => {
              setBusy(false);
              void navigate('/');
            });
        }}
      >
        {guest ? 'Leave the table' : 'Sign out'}
      </Button>
      {guest ? (
        <Text size="sm" c="dimmed">
          Leaving ends the guest session: this phone no longer shows your orders (the bar still
          makes them).
        </Text>
      ) : (
        <>
          <Divider />
          <YourDevices api={api} />
          <Divider />
          <ChangePasswordForm api={api} role={user?.role ?? 'customer'} />
          <Divider />
          <TwoFactorPanel api={api} session={session} />
          <Divider />
          <RecentSignIns api={api} />
        </>
      )}
    </Stack>
  );
}
