import { Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import type { ApiError } from '@taproom/web-core/api/api-error';
import { CUSTOMER_PASSWORD_MIN, checkRegister } from '@taproom/web-core/api/form-checks';
import { AuthErrorAlert } from '@taproom/web-core/ui/auth-error-alert';
import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { session } from '@/lib/session';
import { registerCustomer, upgradeGuest } from '../api/auth-api';

/**
 * Creates a customer account, then signs straight in. For a table's guest (`guest`), the account
 * is the guest itself made permanent: same orders, same session, nothing to sign in to again.
 */
export function RegisterForm({
  onRegistered,
  guest = false,
}: {
  onRegistered: () => void;
  guest?: boolean;
}) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(null);
    const problems = checkRegister({ name, email, password });
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const body = { name: name.trim(), email: email.trim(), password };
      if (guest) {
        session.accept(await upgradeGuest(body));
      } else {
        await registerCustomer(body);
        await session.login(body.email, password);
      }
      onRegistered();
    } catch (caught) {
      const apiError = asApiError(caught);
      setFieldErrors(apiError?.fieldErrors('register') ?? {});
      setError(apiError ?? 'Couldn’t create the account. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="register-title" noValidate>
      <Stack>
        <Title order={guest ? 2 : 1} id="register-title" size="h2">
          {guest ? 'Save my orders — create an account' : 'Create an account'}
        </Title>
        {guest && (
          <Text size="sm">
            You&apos;re ordering as a guest. With an account your orders stay yours after tonight,
            on any phone.
          </Text>
        )}
        {error !== null && <AuthErrorAlert error={error} />}
        <TextInput
          label="Your name"
          description="The bar calls this out with your order number."
          autoComplete="name"
          required
          value={name}
          error={fieldErrors.name}
          onChange={(e) => {
            setName(e.currentTarget.value);
          }}
        />
        <TextInput
          label="Email"
          type="email"
          inputMode="email"
          autoComplete="email"
          required
          value={email}
          error={fieldErrors.email}
          onChange={(e) => {
            setEmail(e.currentTarget.value);
          }}
        />
        <PasswordInput
          label="Password"
          description={`At least ${String(CUSTOMER_PASSWORD_MIN)} characters, not a common password.`}
          autoComplete="new-password"
          required
          value={password}
          error={fieldErrors.password}
          onChange={(e) => {
            setPassword(e.currentTarget.value);
          }}
        />
        <Button type="submit" loading={busy} fullWidth>
          {guest ? 'Save my orders' : 'Create account'}
        </Button>
        {!guest && (
          <Text ta="center" size="sm">
            Already have an account?{' '}
            <Anchor component={Link} to="/sign-in">
              Sign in
            </Anchor>
          </Text>
        )}
      </Stack>
    </form>
  );
}
