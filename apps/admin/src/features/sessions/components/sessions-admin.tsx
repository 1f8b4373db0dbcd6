import {
  Alert,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { AppName, Role } from '@taproom/web-core/api/contracts';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useState } from 'react';
import { Pager } from '@/components/pager';
import { PAGE_SIZE } from '@/config/app-config';
import { useAllSessions, useEndSession, useEndUserSessions } from '../api/sessions-api';

const ROLES = ['customer', 'bartender', 'admin'];
const APPS = ['customer', 'bartender', 'admin'];

/** Every active session; filter by user, role and app; end one or all of a user's. */
export function SessionsAdmin({
  userId,
  onUserIdChange,
}: {
  userId: string;
  onUserIdChange: (userId: string) => void;
}) {
  const [role, setRole] = useState<Role | ''>('');
  const [app, setApp] = useState<AppName | ''>('');
  const [page, setPage] = useState(1);
  const sessions = useAllSessions({ userId, role, app, page });
  const endOne = useEndSession();
  const endAll = useEndUserSessions();
  const error = endOne.error ?? endAll.error;
  const filteredUser = userId !== '' ? sessions.data?.items[0]?.user : undefined;

  return (
    <Stack>
      <Title order={1} size="h2">
        Sessions
      </Title>
      <Group align="flex-end">
        <TextInput
          label="User id"
          placeholder="Any user"
          value={userId}
          w={320}
          onChange={(e) => {
            onUserIdChange(e.currentTarget.value.trim());
            setPage(1);
          }}
        />
        <Select
          label="Role"
          placeholder="All roles"
          size="md"
          clearable
          data={ROLES}
          value={role === '' ? null : role}
          onChange={(value) => {
            setRole((value ?? '') as Role | '');
            setPage(1);
          }}
        />
        <Select
          label="App"
          placeholder="All apps"
          size="md"
          clearable
          data={APPS}
          value={app === '' ? null : app}
          onChange={(value) => {
            setApp((value ?? '') as AppName | '');
            setPage(1);
          }}
        />
        {userId !== '' && (
          <Button
            color="red"
            variant="light"
            loading={endAll.isPending}
            onClick={() => {
              if (window.confirm('End every session of this user?')) endAll.mutate(userId);
            }}
          >
            End all of {filteredUser?.name ?? 'this user'}’s sessions
          </Button>
        )}
      </Group>
      {error !== null && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {sessions.isPending && <LoadingState label="Loading sessions…" />}
      {sessions.isError && (
        <ErrorState message={sessions.error.message} onRetry={() => void sessions.refetch()} />
      )}
      {sessions.isSuccess && (
        <>
          <Table.ScrollContainer minWidth={860}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User</Table.Th>
                  <Table.Th>App</Table.Th>
                  <Table.Th>Device</Table.Th>
                  <Table.Th>IP</Table.Th>
                  <Table.Th>Last active</Table.Th>
                  <Table.Th>Signed in</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sessions.data.items.map((s) => (
                  <Table.Tr key={s.id} data-testid="session-row">
                    <Table.Td>
                      <Text fw={600}>{s.user.name}</Text>
                      <Text size="xs" c="dimmed">
                        {s.user.email} · {s.user.role}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <Badge variant="light">{s.app}</Badge>
                        {s.current && (
                          <Badge color="green" variant="light">
                            This one
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{s.device}</Table.Td>
                    <Table.Td>{s.ip ?? '—'}</Table.Td>
                    <Table.Td>{formatDateTime(s.lastActiveAt)}</Table.Td>
                    <Table.Td>{formatDateTime(s.createdAt)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="xs"
                          color="red"
                          variant="light"
                          disabled={s.current}
                          loading={endOne.isPending && endOne.variables === s.id}
                          aria-label={`End ${s.user.name}’s ${s.app} session on ${s.device}`}
                          onClick={() => {
                            endOne.mutate(s.id);
                          }}
                        >
                          End
                        </Button>
                        {userId === '' && (
                          <Button
                            size="xs"
                            variant="subtle"
                            aria-label={`This user: only ${s.user.name}’s sessions`}
                            onClick={() => {
                              onUserIdChange(s.user.id);
                              setPage(1);
                            }}
                          >
                            This user
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            page={page}
            total={sessions.data.total}
            pageSize={PAGE_SIZE}
            onChange={setPage}
            label="Sessions"
          />
        </>
      )}
    </Stack>
  );
}
