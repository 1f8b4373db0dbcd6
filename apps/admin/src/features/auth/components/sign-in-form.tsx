import { Alert, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import { useState, type SubmitEvent } from 'react';
import { session } from '@/lib/session';

/** Email and password for an admin; the refresh token comes back as `rt_admin`. */
export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
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
    <Paper withBorder p="xl" maw={420} mx="auto" mt="xl">
      <form onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title" noValidate>
        <Stack>
          <Title order={1} id="sign-in-title" size="h2">
            Sign in to Taproom Admin
          </Title>
          <Text c="dimmed" size="sm">
            Admins only. Signing in here ends your admin session on any other device.
          </Text>
          {error !== null && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
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
        </Stack>
      </form>
    </Paper>
  );
}
