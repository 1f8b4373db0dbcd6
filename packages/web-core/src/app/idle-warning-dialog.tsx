import { Button, Group, Modal, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useEffect, useState, useSyncExternalStore } from 'react';
import {
  type ActivitySource,
  browserActivitySource,
  NOT_ACTIVITY_ATTRIBUTE,
  writeRequestActivity,
} from '../auth/activity';
import {
  countdownAnnouncement,
  countdownText,
  IdleWarning,
  type IdleWarningView,
} from '../auth/idle-warning';
import type { SessionManager, SessionState } from '../auth/session-manager';
import { idleDurationWords } from '../auth/signed-out-reason';
import { clearDrafts } from '../react/use-draft';

const OFF: IdleWarningView = { phase: 'off' };
const noView = (): IdleWarningView => OFF;

/** The deadline the server last confirmed, as the warning needs it; null when signed out. */
function deadlineOf(state: SessionState) {
  const { status, session, idleExpiresAt } = state;
  if (status !== 'signedIn' || session === null || idleExpiresAt === 0) return null;
  return {
    idleExpiresAt,
    absolute: session.idleExpiresAt === session.expiresAt,
    idleTimeoutMs: session.idleTimeoutSeconds * 1000,
  };
}

const warnings = new WeakMap<SessionManager, IdleWarning>();

/**
 * The app's inactivity warning in this page: one per session manager, living as long as the
 * page (like the session), shared with the app's other tabs over `taproom-idle-<app>`.
 */
function idleWarningFor(session: SessionManager): IdleWarning {
  let warning = warnings.get(session);
  if (warning === undefined) {
    warning = new IdleWarning({
      channel:
        typeof BroadcastChannel === 'undefined'
          ? null
          : new BroadcastChannel(`taproom-idle-${session.app}`),
      refresh: async () => (await session.refresh(session.getState().accessToken)) !== null,
      expire: (reason) => {
        if (session.getState().status === 'signedIn') void session.logout(reason);
      },
    });
    warnings.set(session, warning);
  }
  return warning;
}

/** Feeds the warning the session's confirmed deadline, the person's input and the app's writes. */
function useIdleWarning(session: SessionManager, activity: ActivitySource): IdleWarning {
  const warning = idleWarningFor(session);
  useEffect(() => {
    const follow = (): void => {
      warning.confirm(deadlineOf(session.getState()));
    };
    follow();
    const stopSession = session.subscribe(follow);
    const onActivity = (): void => {
      warning.activity();
    };
    const stopInput = activity.subscribe(onActivity);
    const stopWrites = writeRequestActivity.subscribe(onActivity);
    return () => {
      stopSession();
      stopInput();
      stopWrites();
    };
  }, [warning, session, activity]);
  return warning;
}

/**
 * Mantine's modal is a `dialog`; this one interrupts with a deadline, which assistive technology
 * should announce at once: an `alertdialog`, still labelled by its title and described by its body.
 */
function asAlertDialog(node: HTMLElement | null): void {
  node?.closest('[role="dialog"]')?.setAttribute('role', 'alertdialog');
}

/** The local time, every second. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return now;
}

const defaultActivity = browserActivitySource();

/**
 * "Are you still there?": two minutes before an idle session ends (apps whose idle timeout is an
 * hour or less), with a live countdown, "Stay signed in" and "Sign out", in every tab of the app
 * at once. At zero the session is ended on the server and the sign-in page says why; unsaved
 * drafts are kept. At the session's absolute end it says so and offers signing in again.
 */
export function IdleWarningDialog({
  session,
  activity = defaultActivity,
}: {
  session: SessionManager;
  /** Where input comes from; default pointer, keyboard, wheel and touch on the page. */
  activity?: ActivitySource;
}) {
  const warning = useIdleWarning(session, activity);
  const view = useSyncExternalStore(warning.subscribe, warning.getView, noView);
  const absolute = view.phase === 'warning' && view.absolute;
  return (
    <Modal
      opened={view.phase === 'warning'}
      onClose={() => {
        if (!absolute) void warning.staySignedIn();
      }}
      closeOnClickOutside={false}
      closeOnEscape={!absolute}
      withCloseButton={false}
      centered
      size="md"
      // Above any form's modal: the warning opens over whatever the person left open.
      zIndex={1000}
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
      title={absolute ? 'Your session is about to end' : 'Are you still there?'}
      data-testid="idle-warning"
      {...{ [NOT_ACTIVITY_ATTRIBUTE]: '' }}
    >
      {view.phase === 'warning' && (
        <WarningBody
          session={session}
          warning={warning}
          deadline={view.deadline}
          absolute={absolute}
        />
      )}
    </Modal>
  );
}

/** The dialog's inside, mounted each time it opens (so its countdown starts afresh). */
function WarningBody({
  session,
  warning,
  deadline,
  absolute,
}: {
  session: SessionManager;
  warning: IdleWarning;
  deadline: number;
  absolute: boolean;
}) {
  const now = useNow();
  const [openedWith] = useState(() => deadline - Date.now());
  const [busy, setBusy] = useState<'stay' | 'out' | null>(null);
  const remaining = deadline - now;
  const idleWords = idleDurationWords(session.getState().session?.idleTimeoutSeconds ?? 0);

  const stay = (): void => {
    if (busy !== null) return;
    setBusy('stay');
    void warning.staySignedIn().finally(() => {
      setBusy(null);
    });
  };
  const signOut = (): void => {
    if (busy !== null) return;
    setBusy('out');
    const userId = session.getState().user?.id;
    void session.logout().finally(() => {
      clearDrafts(session.app, userId);
    });
  };
  const signInAgain = (): void => {
    if (busy !== null) return;
    setBusy('out');
    void session.logout('expired');
  };

  return (
    <Stack gap="md" ref={asAlertDialog} {...{ [NOT_ACTIVITY_ATTRIBUTE]: '' }}>
      <Text>
        {absolute
          ? 'This session reaches its time limit and cannot be extended. It ends in'
          : 'Nothing has happened here for a while. For your security, you will be signed out in'}
      </Text>
      <Text ta="center" fz={40} fw={700} ff="monospace" aria-hidden data-testid="idle-countdown">
        {countdownText(remaining)}
      </Text>
      {/* Spoken when it opens, then each half minute and at ten seconds: not every second. */}
      <VisuallyHidden aria-live="assertive" aria-atomic data-testid="idle-countdown-spoken">
        {countdownAnnouncement(remaining, openedWith)}
      </VisuallyHidden>
      <Text size="sm" c="dimmed">
        {absolute ? '' : `Sessions end after ${idleWords} without activity. `}
        Anything you were typing is kept and comes back when you sign in again.
      </Text>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={signOut} loading={busy === 'out' && !absolute}>
          Sign out
        </Button>
        {absolute ? (
          <Button onClick={signInAgain} loading={busy === 'out'} data-autofocus>
            Sign in again
          </Button>
        ) : (
          <Button onClick={stay} loading={busy === 'stay'} data-autofocus>
            Stay signed in
          </Button>
        )}
      </Group>
    </Stack>
  );
}
