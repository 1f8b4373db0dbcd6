import { Alert } from '@mantine/core';
import type { ApiError } from '../api/api-error';

/**
 * Titles for sign-in failures that are not a typo: the person typed the right password and
 * must not be sent looking for a wrong one.
 */
const TITLES: Partial<Record<ApiError['code'], string>> = {
  ACCOUNT_DISABLED: 'Account disabled',
  ROLE_NOT_ALLOWED: 'Not an account for this app',
};

/** Why signing in (or registering) failed, as a red alert screen readers announce. */
export function AuthErrorAlert({ error }: { error: ApiError | string }) {
  const code = typeof error === 'string' ? undefined : error.code;
  return (
    <Alert
      color="red"
      role="alert"
      title={code === undefined ? undefined : TITLES[code]}
      data-testid="auth-error"
      data-code={code}
    >
      {typeof error === 'string' ? error : error.message}
    </Alert>
  );
}
