import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { AdminUserView } from '@taproom/web-core/api/contracts';
import { confirmAction } from '@taproom/web-core/ui/confirm';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { toastDone, toastFailed } from '@/lib/toasts';
import { useAllSessions, useEndSession, useEndUserSessions } from '../api/sessions-api';

/** Where they are signed in now; end one device or all. */
export function UserDevices({ user }: { user: AdminUserView }) {
  const sessions = useAllSessions({ userId: user.id, role: '', app: '', page: 1 });
  const endOne = useEndSession();
  const endAll = useEndUserSessions();
  const count = sessions.data?.total ?? 0;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Signed in on {count} device{count === 1 ? '' : 's'}
          </Title>
          {count > 0 && (
            <Button
              color="red"
              variant="light"
              loading={endAll.isPending}
              onClick={() => {
                void confirmAction({
                  title: `Sign ${user.name} out everywhere?`,
                  message: `${user.name} will be signed out of ${String(count)} device${count === 1 ? '' : 's'} at once. Their password stays the same.`,
                  confirmLabel: 'Sign out everywhere',
                }).then((yes) => {
                  if (!yes) return;
                  endAll.mutate(user.id, {
                    onSuccess: () => {
                      toastDone(`${user.name} is signed out everywhere.`);
                    },
                    onError: (error) => {
                      toastFailed('Nobody was signed out', error);
                    },
                  });
                });
              }}
            >
              Sign out everywhere
            </Button>
          )}
        </Group>
        {sessions.isPending ? (
          <LoadingState label="Loading devices…" />
        ) : sessions.isError ? (
          <ErrorState message={sessions.error.message} onRetry={() => void sessions.refetch()} />
        ) : count === 0 ? (
          <Text c="dimmed" size="sm">
            Not signed in anywhere.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing={4} aria-label={`${user.name}'s devices`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>App</Table.Th>
                  <Table.Th>Device</Table.Th>
                  <Table.Th>IP</Table.Th>
                  <Table.Th>Last active</Table.Th>
                  <Table.Th>Signed in</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sessions.data.items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <Badge variant="light">{s.app}</Badge>
                    </Table.Td>
                    <Table.Td>{s.device}</Table.Td>
                    <Table.Td>{s.ip ?? '—'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(s.lastActiveAt)}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(s.createdAt)}
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        disabled={s.current}
                        loading={endOne.isPending && endOne.variables === s.id}
                        aria-label={`End the ${s.app} session on ${s.device}`}
                        onClick={() => {
                          endOne.mutate(s.id, {
                            onSuccess: () => {
                              toastDone(`${user.name} is signed out of ${s.device} (${s.app}).`);
                            },
                            onError: (error) => {
                              toastFailed('The session was not ended', error);
                            },
                          });
                        }}
                      >
                        {s.current ? 'This one' : 'End'}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}
