import { asApiError } from '@taproom/web-core/api/api-client';
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
import { useDebouncedValue } from '@mantine/hooks';
import type { AdminUserView, Role } from '@taproom/web-core/api/contracts';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useState } from 'react';
import { Pager } from '@/components/pager';
import { PAGE_SIZE } from '@/config/app-config';
import { useUpdateUser, useUsers } from '../api/users-api';
import { CreateUserForm } from './create-user-form';

const ROLE_OPTIONS = [
  { value: 'customer', label: 'Customer' },
  { value: 'bartender', label: 'Bartender' },
  { value: 'admin', label: 'Admin' },
];

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
            setRole((value ?? '') as Role | '');
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
      {users.isPending && <LoadingState label="Loading users…" />}
      {users.isError && (
        <ErrorState message={users.error.message} onRetry={() => void users.refetch()} />
      )}
      {users.isSuccess && (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.items.map((user) => (
                  <Table.Tr key={user.id} data-testid="user-row">
                    <Table.Td>
                      <Text fw={600}>{user.name}</Text>
                      <Text size="xs" c="dimmed">
                        {user.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
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
                            update.mutate({ id: user.id, patch: { role: value as Role } });
                          }
                        }}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Badge color={user.active ? 'green' : 'gray'} variant="light">
                        {user.active ? 'Active' : 'Deactivated'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDateTime(user.createdAt)}</Table.Td>
                    <Table.Td>
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
                            if (
                              !user.active ||
                              window.confirm(
                                `Deactivate ${user.name}? They are signed out everywhere.`,
                              )
                            ) {
                              update.mutate({ id: user.id, patch: { active: !user.active } });
                            }
                          }}
                        >
                          {user.active ? 'Deactivate' : 'Reactivate'}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            page={page}
            total={users.data.total}
            pageSize={PAGE_SIZE}
            onChange={setPage}
            label="Users"
          />
        </>
      )}
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
