import {
  Alert,
  Anchor,
  Button,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { AxiosInstance } from 'axios';
import { useEffect, useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { asApiError } from '../api/api-client';
import type { ApiError } from '../api/api-error';
import type {
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  SignOutEverywhereDto,
} from '../api/generated/types.gen';
import { checkPasswordResetConfirm, checkPasswordResetRequest } from '../api/form-checks';
import { AuthErrorAlert } from '../ui/auth-error-alert';

/** The card the reset pages sit in, as narrow as a sign-in form. */
function Card({ children, labelledBy }: { children: ReactNode; labelledBy: string }) {
  return (
    <Paper
      component="section"
      aria-labelledby={labelledBy}
      withBorder
      p={{ base: 'md', sm: 'xl' }}
      maw={440}
      mx="auto"
      mt={{ base: 'md', sm: 'xl' }}
    >
      {children}
    </Paper>
  );
}

/**
 * Reads `?token=` once and takes it out of the address bar (and so out of the history, and of
 * what a screenshot or a shoulder shows), keeping it in the page's state only.
 */
function useTokenFromAddress(): string {
  const [params, setParams] = useSearchParams();
  const [token] = useState(() => params.get('token') ?? '');
  const cleared = useRef(false);
  useEffect(() => {
    if (cleared.current || !params.has('token')) return;
    cleared.current = true;
    const rest = new URLSearchParams(params);
    rest.delete('token');
    setParams(rest, { replace: true });
  }, [params, setParams]);
  return token;
}

interface PasswordResetRequestPageProps {
  api: AxiosInstance;
  /** This app's sign-in page. */
  signInPath: string;
}

/**
 * "Reset your password": an email, then the same answer whatever happens to it (an account may
 * or may not exist: the page never says which).
 */
function PasswordResetRequestPage({ api, signInPath }: PasswordResetRequestPageProps) {
  const [email, setEmail] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(null);
    const found = checkPasswordResetRequest({ email });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const body: PasswordResetRequestDto = { email: email.trim() };
      await api.post('/auth/password-reset', body);
      setSentTo(email.trim());
    } catch (caught) {
      const apiError = asApiError(caught);
      setProblems(apiError?.fieldErrors('passwordResetRequest') ?? {});
      setError(apiError ?? 'Couldn’t send the request. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card labelledBy="reset-request-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Title order={1} id="reset-request-title" size="h2">
            Reset your password
          </Title>
          {sentTo === null ? (
            <>
              <Text c="dimmed" size="sm">
                Enter the email you sign in with. We’ll send you a link to set a new password.
              </Text>
              {error !== null && <AuthErrorAlert error={error} />}
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                inputMode="email"
                required
                value={email}
                error={problems.email}
                onChange={(e) => {
                  setEmail(e.currentTarget.value);
                }}
              />
              <Button type="submit" loading={busy} fullWidth>
                Send me a link
              </Button>
            </>
          ) : (
            <Alert color="green" role="status" title="Check your email">
              If an account exists for {sentTo}, we’ve sent a link to it. The link works once, for
              30 minutes. Nothing there? Check your spam folder, or ask again in a few minutes.
            </Alert>
          )}
          <Text ta="center" size="sm">
            <Anchor component={Link} to={signInPath}>
              Back to sign in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Card>
  );
}

interface PasswordResetConfirmPageProps {
  api: AxiosInstance;
  signInPath: string;
  /** This app's "Reset your password" page (to ask for a fresh link). */
  requestPath: string;
  /** The shortest password this app's accounts may have (10 customers, 15 staff). */
  minimumLength: number;
}

/** "Set a new password" from the link in the mail (`?token=`). */
function PasswordResetConfirmPage({
  api,
  signInPath,
  requestPath,
  minimumLength,
}: PasswordResetConfirmPageProps) {
  const token = useTokenFromAddress();
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(null);
    const found = checkPasswordResetConfirm({ newPassword: password }, minimumLength);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const body: PasswordResetConfirmDto = { token, newPassword: password };
      await api.post('/auth/password-reset/confirm', body);
      setPassword('');
      setDone(true);
    } catch (caught) {
      const apiError = asApiError(caught);
      const fields = apiError?.fieldErrors('passwordResetConfirm') ?? {};
      setProblems(fields);
      // A bad link is said once, in the alert; a refused password by its field.
      const otherwise =
        fields.newPassword === undefined
          ? (apiError ?? 'Couldn’t set the password. Please try again.')
          : null;
      setError(fields.token ?? otherwise);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <Card labelledBy="reset-done-title">
        <Stack>
          <Title order={1} id="reset-done-title" size="h2">
            Password changed
          </Title>
          <Alert color="green" role="status">
            Your new password is set, and every device that was signed in has been signed out.
          </Alert>
          <Button component={Link} to={signInPath} fullWidth>
            Sign in
          </Button>
        </Stack>
      </Card>
    );
  }

  const linkBroken = token === '' || problems.token !== undefined;
  return (
    <Card labelledBy="reset-confirm-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Title order={1} id="reset-confirm-title" size="h2">
            Set a new password
          </Title>
          {token === '' ? (
            <Alert color="red" role="alert">
              This page needs the link from your email. Open the link from the mail again, or ask
              for a new one.
            </Alert>
          ) : (
            error !== null && <AuthErrorAlert error={error} />
          )}
          {linkBroken ? (
            <Button component={Link} to={requestPath} fullWidth>
              Send me a new link
            </Button>
          ) : (
            <>
              <PasswordInput
                label="New password"
                description={`At least ${String(minimumLength)} characters, not a common password. You’ll sign in again on every device.`}
                autoComplete="new-password"
                required
                value={password}
                error={problems.newPassword}
                onChange={(e) => {
                  setPassword(e.currentTarget.value);
                }}
              />
              <Button type="submit" loading={busy} fullWidth>
                Set new password
              </Button>
            </>
          )}
          <Text ta="center" size="sm">
            <Anchor component={Link} to={signInPath}>
              Back to sign in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Card>
  );
}

interface SignOutEverywherePageProps {
  api: AxiosInstance;
  signInPath: string;
  requestPath: string;
}

/** From the "New sign-in" mail: sign every device out (one click, the link works once). */
function SignOutEverywherePage({ api, signInPath, requestPath }: SignOutEverywherePageProps) {
  const token = useTokenFromAddress();
  const [error, setError] = useState<ApiError | string | null>(
    token === ''
      ? 'This page needs the link from your email. Open the link from the mail again.'
      : null,
  );
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function signOut(): Promise<void> {
    setError(null);
    setBusy(true);
    try {
      const body: SignOutEverywhereDto = { token };
      await api.post('/auth/sign-out-everywhere', body);
      setDone(true);
    } catch (caught) {
      const apiError = asApiError(caught);
      const fields = apiError?.fieldErrors('signOutEverywhere') ?? {};
      setError(fields.token ?? apiError ?? 'Couldn’t sign out. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card labelledBy="sign-out-everywhere-title">
      <Stack>
        <Title order={1} id="sign-out-everywhere-title" size="h2">
          {done ? 'Signed out everywhere' : 'Sign out everywhere'}
        </Title>
        {done ? (
          <Alert color="green" role="status">
            Every device signed in to your account has been signed out. If you didn’t sign in
            yourself, set a new password now: whoever did may know the old one.
          </Alert>
        ) : (
          <Text size="sm">
            Didn’t sign in on that device? Sign out every device now, then set a new password.
          </Text>
        )}
        {error !== null && <AuthErrorAlert error={error} />}
        {!done && token !== '' && (
          <Button color="red" loading={busy} onClick={() => void signOut()} fullWidth>
            Sign out every device
          </Button>
        )}
        <Button component={Link} to={requestPath} variant={done ? 'filled' : 'light'} fullWidth>
          Reset your password
        </Button>
        <Text ta="center" size="sm">
          <Anchor component={Link} to={signInPath}>
            Back to sign in
          </Anchor>
        </Text>
      </Stack>
    </Card>
  );
}

/** The three account-recovery routes of one app, at the same paths in every app. */
export interface PasswordResetRoutes {
  /** `/forgot-password`: ask for a reset link by mail. */
  readonly ForgotPasswordRoute: () => ReactNode;
  /** `/reset-password?token=…`: the link in the reset mail. */
  readonly ResetPasswordRoute: () => ReactNode;
  /** `/sign-out-everywhere?token=…`: the link in a "New sign-in" mail. */
  readonly SignOutEverywhereRoute: () => ReactNode;
}

/**
 * An app's recovery routes, bound to its API client and its role's shortest password. Call once,
 * at module level, so the components keep their identity across renders.
 */
export function passwordResetRoutes(
  api: AxiosInstance,
  minimumLength: number,
): PasswordResetRoutes {
  const signInPath = '/sign-in';
  const requestPath = '/forgot-password';
  return {
    ForgotPasswordRoute: () => <PasswordResetRequestPage api={api} signInPath={signInPath} />,
    ResetPasswordRoute: () => (
      <PasswordResetConfirmPage
        api={api}
        signInPath={signInPath}
        requestPath={requestPath}
        minimumLength={minimumLength}
      />
    ),
    SignOutEverywhereRoute: () => (
      <SignOutEverywherePage api={api} signInPath={signInPath} requestPath={requestPath} />
    ),
  };
}
