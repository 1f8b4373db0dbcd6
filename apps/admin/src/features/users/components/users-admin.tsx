import { Anchor, Badge, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { AdminUserView, Role } from '@taproom/web-core/api/contracts';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { useState } from 'react';
import { type Column, PagedQueryTable } from '@/components/paged-query-table';
import { roleOptions } from '@/lib/roles';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { Link } from 'react-router';
import { session } from '@/lib/session';
import { useNewUserDraft } from '../lib/new-user-draft';
import { useUsers } from '../api/users-api';
import { changeRole, setActive } from '../lib/user-actions';
import { CreateUserForm } from './create-user-form';

const ROLE_OPTIONS = roleOptions();

/** Search users, create staff, change roles (confirmed, undoable), deactivate; open a person. */
export function UsersAdmin() {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 300);
  const [role, setRole] = useState<Role | ''>('');
  const [page, setPage] = useState(1);
  const me = useSessionState(session).user;
  const [draft] = useNewUserDraft(me?.id);
  // A new account left half-typed (a reload, a timeout, an eviction) opens again as it was.
  const [creating, setCreating] = useState(() => draft !== null);
  const [busy, setBusy] = useState<string | null>(null);
  const users = useUsers({ q: debounced, role, page });

  /** One change at a time per row; the row's controls wait for it. */
  function act(user: AdminUserView, change: () => Promise<boolean>): void {
    setBusy(user.id);
    void change().finally(() => {
      setBusy(null);
    });
  }

  const columns: Column<AdminUserView>[] = [
    {
      header: 'User',
      cell: (user) => (
        <>
          <Anchor
            component={Link}
            to={`/users/${user.id}`}
            fw={600}
            title={user.email ?? undefined}
          >
            {user.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {user.email ?? `Guest at table ${String(user.tableNumber ?? '?')}`}
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
          disabled={busy === user.id}
          onChange={(value) => {
            if (value !== null && value !== user.role) act(user, () => changeRole(user, value));
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
    {
      header: 'Created',
      cell: (user) => (
        <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(user.createdAt)}</span>
      ),
    },
    {
      header: 'Actions',
      cell: (user) => (
        <Group gap={4} wrap="nowrap">
          <Button
            size="xs"
            variant="light"
            component={Link}
            to={`/users/${user.id}`}
            aria-label={`Open ${user.name}`}
          >
            Open
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color={user.active ? 'red' : 'green'}
            disabled={busy === user.id}
            aria-label={`${user.active ? 'Deactivate' : 'Reactivate'} ${user.name}`}
            onClick={() => {
              act(user, () => setActive(user, !user.active));
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
      <PagedQueryTable
        query={users}
        columns={columns}
        rowKey={(user) => user.id}
        rowTestId="user-row"
        label="Users"
        emptyTitle="No users match"
        emptyHint="Try part of a name or an email, or clear the role filter."
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
