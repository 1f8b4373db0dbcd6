import { Alert, Paper, Stack, Title } from '@mantine/core';
import { TwoFactorPanel } from '@taproom/web-core/account/two-factor-panel';
import { api, session } from '@/lib/session';

/**
 * What an admin's setup-only session sees at the bar (TWO_FACTOR_ADMIN=required and no
 * two-factor sign-in yet): why, and the setup. Once the recovery codes are saved the session is
 * refreshed into a full one and the queue appears.
 */
export function TwoFactorRequired() {
  return (
    <Stack gap="lg" maw={640} mx="auto" w="100%">
      <Title order={1} size="h2">
        Turn on two-factor sign-in
      </Title>
      <Alert color="orange" title="Required for admins">
        This Taproom asks every admin to sign in with a code from an authenticator app as well as a
        password, here at the bar too. Set it up now to open the queue; until then nothing else is
        available.
      </Alert>
      <Paper withBorder p="md">
        <TwoFactorPanel api={api} session={session} />
      </Paper>
    </Stack>
  );
}
