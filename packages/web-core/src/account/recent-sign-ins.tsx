import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { AxiosInstance } from 'axios';
import type { SignInView } from '../api/contracts';
import { formatDateTime } from '../ui/format';
import { ErrorState, LoadingState } from '../ui/page-states';
import { useRecentSignIns } from './account-api';

function SignInRow({ signIn }: { signIn: SignInView }) {
  return (
    <Paper
      component="li"
      withBorder
      px="sm"
      py={6}
      data-testid="sign-in-row"
      data-succeeded={signIn.succeeded}
      style={signIn.succeeded ? undefined : { borderColor: 'var(--mantine-color-red-4)' }}
    >
      <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
            {signIn.device}
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(signIn.at)}
            {signIn.ip !== null && signIn.ip !== '' ? ` · ${signIn.ip}` : ''}
          </Text>
        </Stack>
        {signIn.succeeded ? (
          <Badge color="green" variant="light" style={{ flexShrink: 0 }}>
            Signed in
          </Badge>
        ) : (
          // A wrong password, or the right one with a wrong two-factor code.
          <Badge color="red" variant="filled" style={{ flexShrink: 0 }}>
            Failed
          </Badge>
        )}
      </Group>
    </Paper>
  );
}

/** "Recent sign-ins": the account's last 50 attempts, failed ones marked, so strangers show. */
export function RecentSignIns({ api }: { api: AxiosInstance }) {
  const signIns = useRecentSignIns(api);
  const failed = signIns.data?.filter((signIn) => !signIn.succeeded).length ?? 0;
  return (
    <Stack component="section" aria-labelledby="sign-ins-title">
      <Title order={2} size="h3" id="sign-ins-title">
        Recent sign-ins
      </Title>
      {signIns.isPending && <LoadingState label="Loading your sign-ins…" />}
      {signIns.isError && (
        <ErrorState
          title="Could not load your sign-ins"
          message={signIns.error.message}
          onRetry={() => void signIns.refetch()}
        />
      )}
      {signIns.isSuccess && (
        <>
          <Text size="sm" c="dimmed">
            {signIns.data.length === 0
              ? 'No sign-ins yet.'
              : failed === 0
                ? 'Your last sign-ins, newest first.'
                : `Your last sign-ins, newest first. ${String(failed)} failed: if that wasn’t you, change your password.`}
          </Text>
          <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {signIns.data.map((signIn, index) => (
              <SignInRow key={`${signIn.at}-${String(index)}`} signIn={signIn} />
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}
