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
  session: Pick<SessionManager, 'login' | 'loginWithCode'>;
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

/** The challenge of a `401 TOTP_REQUIRED`, when the password was right. */
function challengeOf(error: ApiError | undefined): string | undefined {
  if (error?.code !== 'TOTP_REQUIRED') return undefined;
  const details = error.details as { challenge?: unknown } | undefined;
  return typeof details?.challenge === 'string' ? details.challenge : undefined;
}

/** Why the code step failed, in words; `restart` when the password must be entered again. */
function codeStepProblem(error: ApiError | undefined, recovery: boolean): string {
  if (error?.code === 'TOTP_INVALID') {
    const left = (error.details as { attemptsLeft?: unknown } | undefined)?.attemptsLeft;
    const tail = left === 1 ? ' One try left.' : '';
    return recovery
      ? `That recovery code didn’t work. Each code works only once.${tail}`
      : `That code didn’t work. Enter the newest code from your authenticator app.${tail}`;
  }
  return error?.message ?? 'Couldn’t sign in. Please try again.';
}

/**
 * The second step of a two-factor sign-in: the 6-digit code, or a recovery code instead. A code
 * step that ran out (5 minutes, too many wrong codes) goes back to the password.
 */
function CodeStep({
  session,
  challenge,
  onSignedIn,
  onRestart,
}: {
  session: Pick<SessionManager, 'loginWithCode'>;
  challenge: string;
  onSignedIn: () => void;
  onRestart: (message: string) => void;
}) {
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const value = code.trim();
    if (recovery ? value === '' : !/^\d{6}$/.test(value)) {
      setProblem(
        recovery ? 'Enter one of your recovery codes.' : 'Enter the 6 digits your app shows.',
      );
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      await session.loginWithCode(challenge, recovery ? { recoveryCode: value } : { code: value });
      onSignedIn();
    } catch (caught) {
      const apiError = asApiError(caught);
      if (apiError?.code === 'INVALID_CREDENTIALS') {
        onRestart('This sign-in timed out or had too many wrong codes. Enter your password again.');
        return;
      }
      const left = (apiError?.details as { attemptsLeft?: unknown } | undefined)?.attemptsLeft;
      if (apiError?.code === 'TOTP_INVALID' && left === 0) {
        onRestart('Too many wrong codes. Enter your password again.');
        return;
      }
      setCode('');
      setProblem(codeStepProblem(apiError, recovery));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="code-step-title" noValidate>
      <Stack>
        <Title order={1} id="code-step-title" size="h2">
          Two-factor sign-in
        </Title>
        <Text c="dimmed" size="sm">
          {recovery
            ? 'Enter one of the recovery codes you saved when you turned on two-factor sign-in.'
            : 'Enter the 6-digit code from your authenticator app.'}
        </Text>
        {problem !== null && <AuthErrorAlert error={problem} />}
        {recovery ? (
          <TextInput
            key="recovery"
            label="Recovery code"
            placeholder="xxxx-xxxx-xxxx"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            data-autofocus
            value={code}
            onChange={(e) => {
              setCode(e.currentTarget.value);
            }}
          />
        ) : (
          <TextInput
            key="code"
            label="Code"
            placeholder="123456"
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={6}
            required
            data-autofocus
            value={code}
            styles={{ input: { letterSpacing: '0.3em', fontSize: '1.25rem' } }}
            onChange={(e) => {
              setCode(e.currentTarget.value.replace(/\D/g, ''));
            }}
          />
        )}
        <Button type="submit" loading={busy} fullWidth>
          Verify and sign in
        </Button>
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => {
            setRecovery(!recovery);
            setCode('');
            setProblem(null);
          }}
        >
          {recovery ? 'Use a code from your app instead' : 'Use a recovery code instead'}
        </Anchor>
        <Anchor
          component="button"
          type="button"
          size="sm"
          c="dimmed"
          onClick={() => {
            onRestart('');
          }}
        >
          Back to email and password
        </Anchor>
      </Stack>
    </form>
  );
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
  const [challenge, setChallenge] = useState<string | null>(null);

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
      const pending = challengeOf(apiError);
      if (pending !== undefined) {
        setPassword('');
        setChallenge(pending);
        return;
      }
      setFieldErrors(apiError?.fieldErrors('signIn') ?? {});
      setError(apiError ?? 'Couldn’t sign in. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  if (challenge !== null) {
    return (
      <CodeStep
        session={session}
        challenge={challenge}
        onSignedIn={onSignedIn}
        onRestart={(message) => {
          setChallenge(null);
          setError(message === '' ? null : message);
        }}
      />
    );
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
