import {
  Alert,
  Button,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  TextInput,
} from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import {
  CUSTOMER_PASSWORD_MIN,
  STAFF_PASSWORD_MIN,
  checkNewUser,
} from '@taproom/web-core/api/form-checks';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { DraftRestoredNotice } from '@taproom/web-core/ui/draft-restored-notice';
import { useState, type SubmitEvent } from 'react';
import { session } from '@/lib/session';
import { type NewUserDraft, useNewUserDraft } from '../lib/new-user-draft';
import { roleOptions } from '@/lib/roles';
import { useCreateUser } from '../api/users-api';

/** Staff first: this form is mostly for bar staff. */
const ROLE_OPTIONS = roleOptions(['bartender', 'admin', 'customer']);

const EMPTY: NewUserDraft = { email: '', name: '', role: 'bartender' };

/** A new staff account; the API's password and email rules come back under the fields. */
export function CreateUserForm({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const me = useSessionState(session).user;
  const [draft, setDraft, clearDraft] = useNewUserDraft(me?.id);
  const { email, name, role } = draft ?? EMPTY;
  // Said once, for a draft the form opened with (a reload, a timeout, an eviction).
  const [restored] = useState(() => draft !== null && (draft.email !== '' || draft.name !== ''));
  const [discarded, setDiscarded] = useState(false);
  const change = (patch: Partial<NewUserDraft>): void => {
    setDraft({ ...(draft ?? EMPTY), ...patch });
  };
  // Never kept: a password does not belong in the browser's storage.
  const [password, setPassword] = useState('');
  /** Closing on purpose throws the draft away; a reload or a sign-out keeps it. */
  const close = (): void => {
    clearDraft();
    onClose();
  };
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const create = useCreateUser();
  const minimum = role === 'customer' ? CUSTOMER_PASSWORD_MIN : STAFF_PASSWORD_MIN;

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setMessage(null);
    const problems = checkNewUser({ name, email, password }, minimum);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    try {
      await create.mutateAsync({ email: email.trim(), name: name.trim(), role, password });
      close();
    } catch (caught) {
      const error = asApiError(caught);
      const fields = error?.fieldErrors('newUser') ?? {};
      if (error?.code === 'EMAIL_TAKEN') fields.email = error.message;
      setErrors(fields);
      setMessage(error?.message ?? 'Couldn’t create the account.');
    }
  }

  return (
    <Modal
      opened={opened}
      onClose={close}
      title="New staff account"
      closeButtonProps={{ 'aria-label': 'Close without creating' }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          {restored && !discarded && (
            <DraftRestoredNotice
              onDiscard={() => {
                clearDraft();
                setDiscarded(true);
              }}
            />
          )}
          {message !== null && (
            <Alert color="red" role="alert">
              {message}
            </Alert>
          )}
          <TextInput
            label="Name"
            required
            data-autofocus
            value={name}
            error={errors.name}
            onChange={(e) => {
              change({ name: e.currentTarget.value });
            }}
          />
          <TextInput
            label="Email"
            type="email"
            required
            autoComplete="off"
            value={email}
            error={errors.email}
            onChange={(e) => {
              change({ email: e.currentTarget.value });
            }}
          />
          <Select
            label="Role"
            data={ROLE_OPTIONS}
            allowDeselect={false}
            value={role}
            error={errors.role}
            onChange={(value) => {
              if (value !== null) change({ role: value });
            }}
          />
          <PasswordInput
            label="Password"
            description={`At least ${String(minimum)} characters, not a common one.`}
            required
            autoComplete="new-password"
            value={password}
            error={errors.password}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create account
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
