import { Alert, Anchor, Badge, Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import type { AdminSessionView, AppName, Role } from '@taproom/web-core/api/contracts';
import { confirmAction } from '@taproom/web-core/ui/confirm';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { useState } from 'react';
import { Link } from 'react-router';
import { type Column, PagedQueryTable } from '@/components/paged-query-table';
import { UserPicker } from '@/components/user-picker';
import { useUser } from '@/lib/people';
import { APP_NAMES, ROLES } from '@/lib/roles';
import { toastDone } from '@/lib/toasts';
import { useAllSessions, useEndSession, useEndUserSessions } from '../api/sessions-api';

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
  const filteredUser = useUser(userId).data;

  const columns: Column<AdminSessionView>[] = [
    {
      header: 'User',
      cell: (s) => (
        <>
          <Anchor
            component={Link}
            to={`/users/${s.user.id}`}
            fw={600}
            title={s.user.email ?? undefined}
          >
            {s.user.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {s.user.email ?? 'no email'} · {s.user.role}
          </Text>
        </>
      ),
    },
    {
      header: 'App',
      cell: (s) => (
        <Group gap={4}>
          <Badge variant="light">{s.app}</Badge>
          {s.current && (
            <Badge color="green" variant="light">
              This one
            </Badge>
          )}
        </Group>
      ),
    },
    { header: 'Device', cell: (s) => s.device },
    { header: 'IP', cell: (s) => s.ip ?? '—' },
    {
      header: 'Last active',
      cell: (s) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.lastActiveAt)}</span>,
    },
    {
      header: 'Signed in',
      cell: (s) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.createdAt)}</span>,
    },
    {
      header: 'Actions',
      cell: (s) => (
        <Group gap={4} wrap="nowrap">
          <Button
            size="xs"
            color="red"
            variant="light"
            disabled={s.current}
            loading={endOne.isPending && endOne.variables === s.id}
            aria-label={`End ${s.user.name}’s ${s.app} session on ${s.device}`}
            onClick={() => {
              void confirmAction({
                title: `End ${s.user.name}'s session on ${s.device}?`,
                message: `${s.user.name} will be signed out of the ${s.app} app on ${s.device} at once.`,
                confirmLabel: 'End session',
              }).then((yes) => {
                if (!yes) return;
                endOne.mutate(s.id, {
                  onSuccess: () => {
                    toastDone(`${s.user.name} is signed out of ${s.device} (${s.app}).`);
                  },
                });
              });
            }}
          >
            End
          </Button>
        </Group>
      ),
    },
  ];

  return (
    <Stack>
      <Title order={1} size="h2">
        Sessions
      </Title>
      <Group align="flex-end">
        <UserPicker
          label="Person"
          value={userId}
          onChange={(user) => {
            onUserIdChange(user?.id ?? '');
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
            setRole(value ?? '');
            setPage(1);
          }}
        />
        <Select
          label="App"
          placeholder="All apps"
          size="md"
          clearable
          data={APP_NAMES}
          value={app === '' ? null : app}
          onChange={(value) => {
            setApp(value ?? '');
            setPage(1);
          }}
        />
        {userId !== '' && (
          <Button
            color="red"
            variant="light"
            loading={endAll.isPending}
            onClick={() => {
              const name = filteredUser?.name ?? 'This person';
              // The list may be narrowed by role or app; ending them all ends every one.
              const count = role === '' && app === '' ? sessions.data?.total : undefined;
              const devices =
                count === undefined
                  ? 'every device, in every app'
                  : `${String(count)} device${count === 1 ? '' : 's'}`;
              void confirmAction({
                title: `End all of ${name}'s sessions?`,
                message: `${name} will be signed out of ${devices} at once.`,
                confirmLabel: 'End all sessions',
              }).then((yes) => {
                if (!yes) return;
                endAll.mutate(userId, {
                  onSuccess: () => {
                    toastDone(`${name} is signed out everywhere.`);
                  },
                });
              });
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
      <PagedQueryTable
        query={sessions}
        columns={columns}
        rowKey={(session) => session.id}
        rowTestId="session-row"
        label="Sessions"
        emptyTitle="No active sessions match"
        emptyHint={
          userId !== '' || role !== '' || app !== ''
            ? 'Nobody matching is signed in right now. Clear a filter to see everyone.'
            : 'Nobody is signed in right now.'
        }
        minWidth={860}
        page={page}
        onPageChange={setPage}
      />
    </Stack>
  );
}
