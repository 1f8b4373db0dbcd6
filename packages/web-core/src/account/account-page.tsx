import { Divider, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { AxiosInstance } from 'axios';
import type { SessionManager } from '../auth/session-manager';
import { useSessionState } from '../react/use-session-state';
import { ChangePasswordForm } from './change-password-form';
import { RecentSignIns } from './recent-sign-ins';
import { TwoFactorPanel } from './two-factor-panel';
import { YourDevices } from './your-devices';

/**
 * "Your account" of the staff apps: who is signed in, their devices, a password change,
 * two-factor sign-in and their recent sign-ins. Two columns where there is room.
 */
export function AccountPage({ api, session }: { api: AxiosInstance; session: SessionManager }) {
  const { user } = useSessionState(session);
  if (user === null) return null;
  return (
    <Stack gap="lg" maw={1100}>
      <Stack gap={2}>
        <Title order={1} size="h2">
          Your account
        </Title>
        <Text c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {user.name} · {user.email}
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl" verticalSpacing="lg">
        <Stack gap="lg">
          <YourDevices api={api} />
          <Divider />
          <Paper withBorder p="md">
            <ChangePasswordForm api={api} role={user.role} />
          </Paper>
          <Paper withBorder p="md">
            <TwoFactorPanel api={api} session={session} />
          </Paper>
        </Stack>
        <RecentSignIns api={api} />
      </SimpleGrid>
    </Stack>
  );
}
