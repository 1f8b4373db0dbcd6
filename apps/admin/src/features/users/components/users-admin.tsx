import { asApiError } from '@taproom/web-core/api/api-client';
import { confirmAction } from '@taproom/web-core/ui/confirm';
import { Alert, Badge, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { AdminUserView, Role } from '@taproom/web-core/api/contracts';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { useState } from 'react';
import { type Column, PagedQueryTable } from '@/components/paged-query-table';
import { roleOptions } from '@/lib/roles';
import { useUpdateUser, useUsers } from '../api/users-api';
import { CreateUserForm } from './create-user-form';

const ROLE_OPTIONS = roleOptions();

/** Search users, create staff, change roles, deactivate; LAST_ADMIN is explained, not hidden. */
export function UsersAdmin({ onShowSessions }: { onShowSessions: (user: AdminUserView) => void }) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 300);
  const [role, setRole] = useState<Role | ''>('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const users = useUsers({ q: debounced, role, page });
  const update = useUpdateUser();
  const lastAdmin = asApiError(update.error)?.code === 'LAST_ADMIN';

  const columns: Column<AdminUserView>[] = [
    {
      header: 'User',
      cell: (user) => (
        <>
          <Text fw={600}>{user.name}</Text>
          <Text size="xs" c="dimmed">
            {user.email}
          </Text>
        </>
      ),
    },
    {
      header: 'Role',
      cell: (user) => (
        <Select
          size="xs"
          w={130}
          data={ROLE_OPTIONS}
          allowDeselect={false}
          value={user.role}
          aria-label={`Role of ${user.name}`}
          disabled={update.isPending}
          onChange={(value) => {
            if (value !== null && value !== user.role) {
              update.mutate({ id: user.id, patch: { role: value } });
            }
          }}
        />
      ),
    },
    {
      header: 'Status',
      cell: (user) => (
        <Badge color={user.active ? 'green' : 'gray'} variant="light">
          {user.active ? 'Active' : 'Deactivated'}
        </Badge>
      ),
    },
    { header: 'Created', cell: (user) => formatDateTime(user.createdAt) },
    {
      header: 'Actions',
      cell: (user) => (
        <Group gap={4} wrap="nowrap">
          <Button
            size="xs"
            variant="light"
            aria-label={`Sessions of ${user.name}`}
            onClick={() => {
              onShowSessions(user);
            }}
          >
            Sessions
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color={user.active ? 'red' : 'green'}
            disabled={update.isPending}
            aria-label={`${user.active ? 'Deactivate' : 'Reactivate'} ${user.name}`}
            onClick={() => {
              const go = user.active
                ? confirmAction({
                    title: `Deactivate ${user.name}?`,
                    message: `${user.name} is signed out on every device at once and cannot sign in until re-activated.`,
                    confirmLabel: 'Deactivate',
                  })
                : Promise.resolve(true);
              void go.then((yes) => {
                if (yes) update.mutate({ id: user.id, patch: { active: !user.active } });
              });
            }}
          >
            {user.active ? 'Deactivate' : 'Reactivate'}
          </Button>
        </Group>
      ),
    },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Users
        </Title>
        <Button
          onClick={() => {
            setCreating(true);
          }}
        >
          New staff account
        </Button>
      </Group>
      <Group align="flex-end">
        <TextInput
          label="Search"
          placeholder="Name or email"
          type="search"
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(1);
          }}
        />
        <Select
          label="Role"
          placeholder="All roles"
          size="md"
          clearable
          data={ROLE_OPTIONS}
          value={role === '' ? null : role}
          onChange={(value) => {
            setRole(value ?? '');
            setPage(1);
          }}
        />
      </Group>
      {update.error !== null && (
        <Alert
          color={lastAdmin ? 'orange' : 'red'}
          variant={lastAdmin ? 'filled' : 'light'}
          title={lastAdmin ? 'This is the last active admin' : 'Could not change the user'}
          role="alert"
          data-testid={lastAdmin ? 'last-admin-error' : undefined}
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => {
            update.reset();
          }}
        >
          {lastAdmin
            ? 'Taproom needs at least one active admin. Make someone else an admin first, then change or deactivate this account.'
            : update.error.message}
        </Alert>
      )}
      <PagedQueryTable
        query={users}
        columns={columns}
        rowKey={(user) => user.id}
        rowTestId="user-row"
        label="Users"
        emptyTitle="No users match"
        page={page}
        onPageChange={setPage}
      />
      {creating && (
        <CreateUserForm
          opened
          onClose={() => {
            setCreating(false);
          }}
        />
      )}
    </Stack>
  );
}
