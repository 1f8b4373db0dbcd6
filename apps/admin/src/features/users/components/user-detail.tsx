import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { AdminUserView } from '@taproom/web-core/api/contracts';
import { asApiError } from '@taproom/web-core/api/api-client';
import { fieldMessage } from '@taproom/web-core/api/field-words';
import { confirmAction } from '@taproom/web-core/ui/confirm';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useDraft } from '@taproom/web-core/react/use-draft';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { type ReactNode, type SubmitEvent, useState } from 'react';
import { Link } from 'react-router';
import { IdWithCopy } from '@/components/id-with-copy';
import { roleOptions } from '@/lib/roles';
import { session } from '@/lib/session';
import { toastDone, toastFailed } from '@/lib/toasts';
import { isUserId, useUser } from '@/lib/people';
import { patchUser } from '../api/users-api';
import { generatePassword } from '../lib/generated-password';
import { changeRole, resetUserTwoFactor, setActive } from '../lib/user-actions';

const ROLE_OPTIONS = roleOptions();

/** One person: their account, their devices and their recent sign-ins, and what an admin may do. */
export function UserDetail({
  id,
  aside,
  below,
}: {
  id: string;
  /** Next to the account card: their recent sign-ins. */
  aside: (user: AdminUserView) => ReactNode;
  /** Under it: their devices. */
  below: (user: AdminUserView) => ReactNode;
}) {
  const user = useUser(id);
  if (!isUserId(id)) return <NoSuchPerson />;
  if (user.isPending) return <LoadingState label="Loading the account…" />;
  if (user.isError) {
    return asApiError(user.error)?.code === 'NOT_FOUND' ? (
      <NoSuchPerson />
    ) : (
      <ErrorState message={user.error.message} onRetry={() => void user.refetch()} />
    );
  }
  return <Account user={user.data} aside={aside} below={below} />;
}

function NoSuchPerson() {
  return (
    <EmptyState title="No such person">
      <Anchor component={Link} to="/users">
        Back to all users
      </Anchor>
    </EmptyState>
  );
}

function Account({
  user,
  aside,
  below,
}: {
  user: AdminUserView;
  aside: (user: AdminUserView) => ReactNode;
  below: (user: AdminUserView) => ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  // One's own two-factor sign-in is turned off on "Your account" (password and a code), never
  // reset here (the server refuses it too).
  const isMe = useSessionState(session).user?.id === user.id;
  const act = (change: () => Promise<boolean>) => {
    setBusy(true);
    void change().finally(() => {
      setBusy(false);
    });
  };
  return (
    <Stack>
      <Anchor component={Link} to="/users" size="sm">
        ← All users
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <div style={{ minWidth: 0, flex: 1 }}>
          <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
            {user.name}
          </Title>
          <Text c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {user.email}
          </Text>
          <Group gap={6} mt={6}>
            <Badge variant="light">{user.role}</Badge>
            <Badge color={user.active ? 'green' : 'gray'} variant="light">
              {user.active ? 'Active' : 'Deactivated'}
            </Badge>
            {user.twoFactorEnabled && (
              <Badge color="teal" variant="light">
                Two-factor on
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              since {formatDateTime(user.createdAt)}
            </Text>
          </Group>
        </div>
        <Group gap="xs">
          <Button variant="default" component={Link} to={`/audit?userId=${user.id}`}>
            Audit trail
          </Button>
          {user.role === 'customer' && (
            <Button variant="default" component={Link} to={`/orders?customerId=${user.id}`}>
              Orders
            </Button>
          )}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack gap="sm">
            <Title order={2} size="h4">
              Account
            </Title>
            <Rename user={user} />
            <Select
              label="Role"
              data={ROLE_OPTIONS}
              allowDeselect={false}
              value={user.role}
              // A guest keeps its role: it becomes a customer only by creating an account itself.
              disabled={busy || user.role === 'guest'}
              w={200}
              onChange={(value) => {
                if (value !== null && value !== user.role) act(() => changeRole(user, value));
              }}
            />
            <Group gap="xs">
              <ResetPassword user={user} />
              <Button
                variant="light"
                color={user.active ? 'red' : 'green'}
                disabled={busy}
                onClick={() => {
                  act(() => setActive(user, !user.active));
                }}
              >
                {user.active ? 'Deactivate' : 'Reactivate'}
              </Button>
              {user.twoFactorEnabled && !isMe && (
                <Button
                  variant="light"
                  color="red"
                  disabled={busy}
                  onClick={() => {
                    act(() => resetUserTwoFactor(user));
                  }}
                >
                  Reset two-factor
                </Button>
              )}
              {user.twoFactorEnabled && isMe && (
                <Text size="sm" c="dimmed">
                  Your own two-factor sign-in is managed on{' '}
                  <Anchor component={Link} to="/account" size="sm">
                    Your account
                  </Anchor>
                  .
                </Text>
              )}
            </Group>
            <IdWithCopy label="Id" value={user.id} />
          </Stack>
        </Card>
        {aside(user)}
      </SimpleGrid>
      {below(user)}
    </Stack>
  );
}

/** The name, editable; what is typed survives a reload or a sign-out until it is saved. */
function Rename({ user }: { user: AdminUserView }) {
  const me = useSessionState(session).user;
  const [draft, setDraft, clearDraft] = useDraft<string | null>(
    { app: 'admin', userId: me?.id, form: `rename-${user.id}` },
    null,
  );
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const name = draft ?? user.name;

  async function save(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (name.trim() === '') {
      setError(fieldMessage('editUser', 'name', 'missing'));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const saved = await patchUser(user.id, { name: name.trim() });
      clearDraft();
      toastDone(`Renamed to ${saved.name}.`);
    } catch (caught) {
      const problem = asApiError(caught);
      setError(problem?.fieldErrors('editUser').name ?? problem?.message ?? 'Couldn’t rename.');
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={(event) => void save(event)} noValidate>
      <Group align="flex-start" gap="xs">
        <TextInput
          label="Name"
          value={name}
          error={error}
          maxLength={100}
          style={{ flex: 1 }}
          onChange={(event) => {
            setDraft(event.currentTarget.value);
          }}
        />
        <Button type="submit" mt={25} loading={saving} disabled={name.trim() === user.name}>
          Save name
        </Button>
      </Group>
      {draft !== null && draft !== user.name && (
        <Text size="xs" c="dimmed" mt={4}>
          Not saved yet.{' '}
          <Anchor component="button" type="button" size="xs" onClick={clearDraft}>
            Discard
          </Anchor>
        </Text>
      )}
    </form>
  );
}

/** A new password, set by the server and shown here once, to hand over in person. */
function ResetPassword({ user }: { user: AdminUserView }) {
  const [password, setPassword] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  return (
    <>
      <Button
        variant="light"
        loading={working}
        onClick={() => {
          void (async () => {
            const yes = await confirmAction({
              title: `Give ${user.name} a new password?`,
              message: `Their current password stops working and they are signed out everywhere. You will see the new one once, to hand over.`,
              confirmLabel: 'Set a new password',
            });
            if (!yes) return;
            setWorking(true);
            const fresh = generatePassword();
            try {
              await patchUser(user.id, { password: fresh });
              setPassword(fresh);
            } catch (error) {
              toastFailed('The password was not changed', error);
            } finally {
              setWorking(false);
            }
          })();
        }}
      >
        Reset password
      </Button>
      <Modal
        opened={password !== null}
        onClose={() => {
          setPassword(null);
        }}
        title={`${user.name}'s new password`}
        closeButtonProps={{ 'aria-label': 'Close: the password will not be shown again' }}
      >
        <Stack>
          <Alert color="orange">
            This is the only time it is shown. Copy it or write it down now, and give it to{' '}
            {user.name} in person.
          </Alert>
          <Group gap="xs" wrap="nowrap">
            <Code fz="lg" data-testid="new-password">
              {password}
            </Code>
            <CopyButton value={password ?? ''}>
              {({ copied, copy }) => (
                <Button variant="light" onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Button
            onClick={() => {
              setPassword(null);
            }}
          >
            Done
          </Button>
        </Stack>
      </Modal>
    </>
  );
}
