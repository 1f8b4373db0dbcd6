import { Button, Divider, Paper, Stack, Text, Title } from '@mantine/core';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ChangePasswordForm } from '@/features/auth/components/change-password-form';
import { DevicesList } from '@/features/devices/components/devices-list';
import { disablePushBeforeSignOut } from '@/lib/push';
import { session } from '@/lib/session';

export default function AccountRoute() {
  const { user } = useSessionState(session);
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Account
      </Title>
      {user !== null && (
        <Paper withBorder p="md">
          <Text fw={600}>{user.name}</Text>
          <Text size="sm" c="dimmed">
            {user.email}
          </Text>
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
        Sign out
      </Button>
      <Divider />
      <DevicesList />
      <Divider />
      <ChangePasswordForm />
    </Stack>
  );
}
