import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { AxiosInstance } from 'axios';
import type { SessionView } from '../api/contracts';
import { formatDateTime } from '../ui/format';
import { ErrorState, LoadingState } from '../ui/page-states';
import { useSignOutDevice, useSignOutOthers, useYourDevices } from './account-api';
import { APP_LABELS } from './app-names';

function DeviceRow({
  device,
  onSignOut,
  busy,
}: {
  device: SessionView;
  onSignOut: () => void;
  busy: boolean;
}) {
  return (
    <Paper component="li" withBorder p="sm" data-testid="device-row">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
              {device.device}
            </Text>
            {device.current && (
              <Badge size="sm" color="green" variant="light">
                This device
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {APP_LABELS[device.app]} · last active {formatDateTime(device.lastActiveAt)}
            {device.ip !== null && device.ip !== '' ? ` · ${device.ip}` : ''}
          </Text>
          <Text size="xs" c="dimmed">
            Signed in {formatDateTime(device.createdAt)}
          </Text>
        </Stack>
        {!device.current && (
          <Button
            size="xs"
            variant="light"
            color="red"
            loading={busy}
            onClick={onSignOut}
            aria-label={`Sign out ${device.device}`}
            style={{ flexShrink: 0 }}
          >
            Sign out
          </Button>
        )}
      </Group>
    </Paper>
  );
}

/** "Your devices": every signed-in session, with sign-out of one or of all the others. */
export function YourDevices({ api }: { api: AxiosInstance }) {
  const devices = useYourDevices(api);
  const signOutOne = useSignOutDevice(api);
  const signOutOthers = useSignOutOthers(api);
  const error = signOutOne.error ?? signOutOthers.error;

  return (
    <Stack component="section" aria-labelledby="devices-title">
      <Title order={2} size="h3" id="devices-title">
        Your devices
      </Title>
      {devices.isPending && <LoadingState label="Loading your devices…" />}
      {devices.isError && (
        <ErrorState
          title="Could not load your devices"
          message={devices.error.message}
          onRetry={() => void devices.refetch()}
        />
      )}
      {error !== null && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {signOutOthers.isSuccess && (
        <Alert color="green" role="status">
          Your other devices were signed out.
        </Alert>
      )}
      {devices.isSuccess && (
        <>
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {devices.data.map((device) => (
              <DeviceRow
                key={device.id}
                device={device}
                busy={signOutOne.isPending && signOutOne.variables === device.id}
                onSignOut={() => {
                  signOutOne.mutate(device.id);
                }}
              />
            ))}
          </Stack>
          {devices.data.some((device) => !device.current) && (
            <Button
              variant="light"
              color="red"
              loading={signOutOthers.isPending}
              onClick={() => {
                signOutOthers.mutate();
              }}
            >
              Sign out all other devices
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
