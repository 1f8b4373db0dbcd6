import {
  Anchor,
  Button,
  Checkbox,
  Group,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Link } from 'react-router';
import { useState, type ReactNode, type SubmitEvent } from 'react';
import { asApiError } from '../api/api-client';
import type { ApiError } from '../api/api-error';
import { checkSignIn } from '../api/form-checks';
import type { SessionManager } from '../auth/session-manager';
import { AuthErrorAlert } from './auth-error-alert';

export interface SignInFormProps {
  /** The app's session: signing in sets its refresh cookie (`rt_<app>`) and access token. */
  session: Pick<SessionManager, 'login'>;
  title: string;
  /** A line under the title (who may sign in here). */
  description?: ReactNode;
  /** Below the button (e.g. a link to register). */
  footer?: ReactNode;
  onSignedIn: () => void;
  /**
   * Shows "Keep me signed in" (ticked by default): the customer app's choice between a refresh
   * cookie that outlives the browser and one that ends with it. Staff apps leave it out.
   */
  offerRemember?: boolean;
  /** This app's "Reset your password" page: shows "Forgot password?" by the password. */
  forgotPasswordPath?: string;
}

/**
 * Email and password, with the API's error shown readably: a wrong password, too many attempts,
 * or an account that may not sign in (deactivated: ask an admin; not for this app).
 */
export function SignInForm({
  session,
  title,
  description,
  footer,
  onSignedIn,
  offerRemember = false,
  forgotPasswordPath,
}: SignInFormProps) {
  const [email, setEmail] = useState('');
  const [remember, setRemember] = useState(true);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(null);
    const problems = checkSignIn({ email, password });
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      await session.login(email.trim(), password, offerRemember ? { remember } : {});
      onSignedIn();
    } catch (caught) {
      const apiError = asApiError(caught);
      setFieldErrors(apiError?.fieldErrors('signIn') ?? {});
      setError(apiError ?? 'Couldn’t sign in. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title" noValidate>
      <Stack>
        <Title order={1} id="sign-in-title" size="h2">
          {title}
        </Title>
        {description !== undefined && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
        {error !== null && <AuthErrorAlert error={error} />}
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          inputMode="email"
          required
          value={email}
          error={fieldErrors.email}
          onChange={(e) => {
            setEmail(e.currentTarget.value);
          }}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          value={password}
          error={fieldErrors.password}
          onChange={(e) => {
            setPassword(e.currentTarget.value);
          }}
        />
        {forgotPasswordPath !== undefined && (
          <Group justify="flex-end" mt={-8}>
            <Anchor component={Link} to={forgotPasswordPath} size="sm">
              Forgot password?
            </Anchor>
          </Group>
        )}
        {offerRemember && (
          <Checkbox
            label="Keep me signed in"
            description="Untick on a shared phone: you’re signed out when the browser closes."
            checked={remember}
            onChange={(e) => {
              setRemember(e.currentTarget.checked);
            }}
          />
        )}
        <Button type="submit" loading={busy} fullWidth>
          Sign in
        </Button>
        {footer}
      </Stack>
    </form>
  );
}
