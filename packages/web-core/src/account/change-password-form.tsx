import { Alert, Button, PasswordInput, Stack, Text, Title } from '@mantine/core';
import type { AxiosInstance } from 'axios';
import { useState, type SubmitEvent } from 'react';
import { asApiError } from '../api/api-client';
import type { Role } from '../api/contracts';
import { CUSTOMER_PASSWORD_MIN, STAFF_PASSWORD_MIN, checkChangePassword } from '../api/form-checks';
import { useChangePassword } from './account-api';

/**
 * Current and new password. Changing it signs out every other device; this one stays signed in.
 * Staff passwords are longer: the minimum follows the role, and the server's answer is shown in
 * the same words when it judges otherwise (a common password, say).
 */
export function ChangePasswordForm({ api, role }: { api: AxiosInstance; role: Role }) {
  const minimum = role === 'customer' ? CUSTOMER_PASSWORD_MIN : STAFF_PASSWORD_MIN;
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const mutation = useChangePassword(api);
  const apiError = asApiError(mutation.error);
  const fieldErrors = { ...(apiError?.fieldErrors('changePassword') ?? {}), ...problems };

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    const found = checkChangePassword({ currentPassword, newPassword }, minimum);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      mutation.reset();
      return;
    }
    mutation.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrent('');
          setNew('');
        },
      },
    );
  }

  return (
    <form onSubmit={submit} aria-labelledby="change-password-title" noValidate>
      <Stack>
        <Title order={2} id="change-password-title" size="h3">
          Change password
        </Title>
        <Text size="sm" c="dimmed">
          Your other devices are signed out when you change it; this one stays signed in.
        </Text>
        {mutation.isSuccess && (
          <Alert color="green" role="status">
            Password changed. Your other devices were signed out.
          </Alert>
        )}
        {apiError !== undefined && apiError.code !== 'VALIDATION_FAILED' && (
          <Alert color="red" role="alert">
            {apiError.code === 'INVALID_CREDENTIALS'
              ? 'Your current password isn’t right.'
              : apiError.message}
          </Alert>
        )}
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          required
          value={currentPassword}
          error={fieldErrors.currentPassword}
          onChange={(e) => {
            setCurrent(e.currentTarget.value);
          }}
        />
        <PasswordInput
          label="New password"
          description={`At least ${String(minimum)} characters, not a common password.`}
          autoComplete="new-password"
          required
          value={newPassword}
          error={fieldErrors.newPassword}
          onChange={(e) => {
            setNew(e.currentTarget.value);
          }}
        />
        <Button type="submit" loading={mutation.isPending} variant="light">
          Change password
        </Button>
      </Stack>
    </form>
  );
}
