import { Alert, Button, PasswordInput, Stack, Title } from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import { CUSTOMER_PASSWORD_MIN, checkChangePassword } from '@taproom/web-core/api/form-checks';
import { useMutation } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { changePassword } from '../api/auth-api';

/** Changing the password signs out every other device; this one stays signed in. */
export function ChangePasswordForm() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      setCurrent('');
      setNew('');
    },
  });
  const apiError = asApiError(mutation.error);
  const fieldErrors = { ...(apiError?.fieldErrors('changePassword') ?? {}), ...problems };

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    const found = checkChangePassword({ currentPassword, newPassword }, CUSTOMER_PASSWORD_MIN);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      mutation.reset();
      return;
    }
    mutation.mutate({ currentPassword, newPassword });
  }

  return (
    <form onSubmit={submit} aria-labelledby="change-password-title" noValidate>
      <Stack>
        <Title order={2} id="change-password-title" size="h3">
          Change password
        </Title>
        {mutation.isSuccess && (
          <Alert color="green" role="status">
            Password changed. Your other devices were signed out.
          </Alert>
        )}
        {apiError !== undefined && (
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
          description={`At least ${String(CUSTOMER_PASSWORD_MIN)} characters, not a common password.`}
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
