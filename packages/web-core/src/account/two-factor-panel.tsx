import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Image,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { AxiosInstance } from 'axios';
import { useState, type SubmitEvent } from 'react';
import { asApiError } from '../api/api-client';
import type { SessionManager } from '../auth/session-manager';
import { useSessionState } from '../react/use-session-state';
import {
  type TwoFactorSetup,
  useDisableTwoFactor,
  useEnableTwoFactor,
  useTwoFactorSetup,
} from './account-api';

/** The QR code as an image: the server's SVG never becomes markup of the page. */
function qrImageSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The key in groups of four, easier to type into an authenticator app. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

function downloadCodes(codes: readonly string[], email: string): void {
  const text =
    `Taproom recovery codes for ${email}\n` +
    `Each code signs you in once if you can't use your authenticator app.\n\n` +
    `${codes.join('\n')}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'taproom-recovery-codes.txt';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 1000);
}

/** A 6-digit code field: the phone offers the number pad and one-time-code autofill. */
function CodeInput({
  value,
  onChange,
  error,
  label = 'Code from your authenticator app',
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  label?: string;
}) {
  return (
    <TextInput
      label={label}
      autoComplete="one-time-code"
      inputMode="numeric"
      maxLength={6}
      placeholder="123456"
      required
      value={value}
      error={error}
      styles={{ input: { letterSpacing: '0.2em', fontVariantNumeric: 'tabular-nums' } }}
      onChange={(event) => {
        onChange(event.currentTarget.value.replace(/\D/g, ''));
      }}
    />
  );
}

/** Step 2: the QR code, the key by hand, and the code that confirms it. */
function SetupStep({
  setup,
  api,
  onEnabled,
  onCancel,
}: {
  setup: TwoFactorSetup;
  api: AxiosInstance;
  onEnabled: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const enable = useEnableTwoFactor(api);
  const apiError = asApiError(enable.error);
  const serverProblem =
    apiError === undefined
      ? undefined
      : apiError.code === 'VALIDATION_FAILED'
        ? 'That code doesn’t match. Check the time on your phone is right and enter the newest code.'
        : apiError.message;

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setProblem('Enter the 6 digits your app shows.');
      return;
    }
    setProblem(undefined);
    enable.mutate(code, { onSuccess: onEnabled });
  }

  return (
    <form onSubmit={submit} aria-label="Confirm two-factor sign-in" noValidate>
      <Stack>
        <Text size="sm">
          1. Scan this QR code with an authenticator app (Google Authenticator, 1Password, Authy,
          …).
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <Image
            src={qrImageSource(setup.qrSvg)}
            alt="QR code of your new two-factor key"
            w={200}
            h={200}
            fit="contain"
            bg="white"
            radius="sm"
          />
          <Stack gap={6}>
            <Text size="sm">Can’t scan? Type this key into the app instead:</Text>
            <Code
              block
              data-testid="two-factor-key"
              style={{ fontSize: '1rem', whiteSpace: 'normal', wordSpacing: '0.25em' }}
            >
              {grouped(setup.secret)}
            </Code>
            <CopyButton value={setup.secret}>
              {({ copied, copy }) => (
                <Button variant="default" size="xs" onClick={copy} w="fit-content">
                  {copied ? 'Key copied' : 'Copy key'}
                </Button>
              )}
            </CopyButton>
          </Stack>
        </SimpleGrid>
        <Text size="sm">2. Enter the 6-digit code the app now shows for Taproom.</Text>
        <CodeInput
          value={code}
          onChange={setCode}
          error={problem ?? serverProblem}
          label="6-digit code"
        />
        <Group>
          <Button type="submit" loading={enable.isPending}>
            Turn on two-factor sign-in
          </Button>
          <Button variant="subtle" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Step 3: the ten recovery codes, this once, with Copy and Download. */
function RecoveryCodes({
  codes,
  email,
  onDone,
}: {
  codes: readonly string[];
  email: string;
  onDone: () => void;
}) {
  return (
    <Stack>
      <Alert color="green" role="status" title="Two-factor sign-in is on">
        Save these recovery codes somewhere safe, away from your phone. Each one signs you in once
        if you lose your authenticator. They are shown only now.
      </Alert>
      <SimpleGrid
        cols={2}
        spacing="lg"
        verticalSpacing={4}
        component="ol"
        aria-label="Recovery codes"
        style={{ listStyle: 'none', paddingLeft: 0, margin: 0, maxWidth: 420 }}
      >
        {codes.map((code, index) => (
          <li key={code}>
            <Text ff="monospace" fz="md" style={{ whiteSpace: 'nowrap' }}>
              <Text span c="dimmed" ff="monospace" fz="sm" aria-hidden>
                {String(index + 1).padStart(2, '\u00a0')}.{' '}
              </Text>
              <span data-testid="recovery-code">{code}</span>
            </Text>
          </li>
        ))}
      </SimpleGrid>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy codes'}
            </Button>
          )}
        </CopyButton>
        <Button
          variant="default"
          onClick={() => {
            downloadCodes(codes, email);
          }}
        >
          Download (.txt)
        </Button>
        <Button onClick={onDone}>I’ve saved my codes</Button>
      </Group>
    </Stack>
  );
}

/** Step 1: the password again ("confirm access"), then the new key. */
function StartSetupForm({
  api,
  onStarted,
}: {
  api: AxiosInstance;
  onStarted: (setup: TwoFactorSetup) => void;
}) {
  const [password, setPassword] = useState('');
  const setupMutation = useTwoFactorSetup(api);
  const apiError = asApiError(setupMutation.error);
  const words =
    apiError === undefined
      ? undefined
      : apiError.code === 'INVALID_CREDENTIALS'
        ? 'Your password isn’t right.'
        : apiError.message;

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (password === '') return;
    setupMutation.mutate(password, {
      onSuccess: (started) => {
        setPassword('');
        onStarted(started);
      },
    });
  }

  return (
    <form onSubmit={submit} aria-label="Set up two-factor sign-in" noValidate>
      <Stack gap="sm">
        <Text size="sm">
          Protect your account with a second step: after your password, enter a code from an
          authenticator app on your phone. Turning it on signs out your other devices.
        </Text>
        {words !== undefined && (
          <Alert color="red" role="alert">
            {words}
          </Alert>
        )}
        <PasswordInput
          label="Confirm your password"
          autoComplete="current-password"
          required
          maw={360}
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
        />
        <Button
          type="submit"
          w="fit-content"
          loading={setupMutation.isPending}
          disabled={password === ''}
        >
          Set up two-factor sign-in
        </Button>
      </Stack>
    </form>
  );
}

/** Turning it off: the password and a code (or a recovery code). */
function DisableForm({ api, onDisabled }: { api: AxiosInstance; onDisabled: () => void }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const disable = useDisableTwoFactor(api);
  const apiError = asApiError(disable.error);
  const words =
    apiError === undefined
      ? undefined
      : apiError.code === 'INVALID_CREDENTIALS'
        ? 'Your password isn’t right.'
        : apiError.code === 'TOTP_INVALID'
          ? 'That code didn’t work. Enter the newest code from your app, or a recovery code.'
          : apiError.code === 'FORBIDDEN'
            ? 'Admins must keep two-factor sign-in here. Another admin can reset it for you.'
            : apiError.message;

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (password === '' || code.trim() === '') return;
    disable.mutate({ password, code: code.trim() }, { onSuccess: onDisabled });
  }

  return (
    <form onSubmit={submit} aria-label="Turn off two-factor sign-in" noValidate>
      <Stack gap="sm">
        {words !== undefined && (
          <Alert color="red" role="alert">
            {words}
          </Alert>
        )}
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
          }}
        />
        <TextInput
          label="Code from your app, or a recovery code"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(event) => {
            setCode(event.currentTarget.value);
          }}
        />
        <Button
          type="submit"
          color="red"
          variant="light"
          loading={disable.isPending}
          disabled={password === '' || code.trim() === ''}
        >
          Turn off two-factor sign-in
        </Button>
      </Stack>
    </form>
  );
}

/**
 * "Two-factor sign-in" on every account page: set up (QR code or key, confirm with a code), the
 * recovery codes once, and turning it off. Once on or off, the session is refreshed, so the user
 * (and a setup-only admin session) reflects it.
 */
export function TwoFactorPanel({
  api,
  session,
  onFinished,
}: {
  api: AxiosInstance;
  session: SessionManager;
  /** After the codes are saved or it is turned off (the session was refreshed). */
  onFinished?: () => void;
}) {
  const state = useSessionState(session);
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [turningOff, setTurningOff] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const user = state.user;
  if (user === null) return null;
  const enabled = user.twoFactorEnabled;

  function refreshed(): void {
    void session.refresh(state.accessToken).then(() => onFinished?.());
  }

  let body;
  if (codes !== null) {
    body = (
      <RecoveryCodes
        codes={codes}
        email={user.email ?? ''}
        onDone={() => {
          setCodes(null);
          setSetup(null);
          setMessage('Two-factor sign-in is on. You’ll be asked for a code when you sign in.');
          refreshed();
        }}
      />
    );
  } else if (setup !== null) {
    body = (
      <SetupStep
        setup={setup}
        api={api}
        onEnabled={setCodes}
        onCancel={() => {
          setSetup(null);
        }}
      />
    );
  } else if (enabled) {
    body = (
      <Stack gap="sm">
        <Text size="sm">
          Signing in asks for a code from your authenticator app after your password.
        </Text>
        {turningOff ? (
          <DisableForm
            api={api}
            onDisabled={() => {
              setTurningOff(false);
              setMessage('Two-factor sign-in is off.');
              refreshed();
            }}
          />
        ) : (
          <Button
            variant="default"
            w="fit-content"
            onClick={() => {
              setMessage(null);
              setTurningOff(true);
            }}
          >
            Turn off…
          </Button>
        )}
      </Stack>
    );
  } else {
    body = (
      <StartSetupForm
        api={api}
        onStarted={(started) => {
          setMessage(null);
          setSetup(started);
        }}
      />
    );
  }

  return (
    <Stack gap="sm" aria-labelledby="two-factor-title" component="section">
      <Group justify="space-between" wrap="nowrap">
        <Title order={2} id="two-factor-title" size="h3">
          Two-factor sign-in
        </Title>
        <Badge color={enabled || codes !== null ? 'green' : 'gray'} variant="light">
          {enabled || codes !== null ? 'On' : 'Off'}
        </Badge>
      </Group>
      {message !== null && (
        <Alert color="green" role="status">
          {message}
        </Alert>
      )}
      {body}
    </Stack>
  );
}
