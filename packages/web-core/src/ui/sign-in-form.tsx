import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type ReactNode, type SubmitEvent } from 'react';
import { asApiError } from '../api/api-client';
import type { SessionManager } from '../auth/session-manager';

export interface SignInFormProps {
  /** The app's session: signing in sets its refresh cookie (`rt_<app>`) and access token. */
  session: Pick<SessionManager, 'login'>;
  title: string;
  /** A line under the title (who may sign in here). */
  description?: ReactNode;
  /** Below the button (e.g. a link to register). */
  footer?: ReactNode;
  onSignedIn: () => void;
}

/** Email and password, with the API's error (wrong password, rate limited, …) shown readably. */
export function SignInForm({ session, title, description, footer, onSignedIn }: SignInFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.login(email.trim(), password);
      onSignedIn();
    } catch (caught) {
      setError(asApiError(caught)?.message ?? 'Could not sign in. Please try again.');
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
        {error !== null && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          inputMode="email"
          required
          value={email}
          onChange={(e) => {
            setEmail(e.currentTarget.value);
          }}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => {
            setPassword(e.currentTarget.value);
          }}
        />
        <Button type="submit" loading={busy} fullWidth>
          Sign in
        </Button>
        {footer}
      </Stack>
    </form>
  );
}
