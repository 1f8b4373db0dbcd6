import { Button, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { SignOutButton } from '@taproom/web-core/app/sign-out-button';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { useState } from 'react';
import { chime, type ChimeState } from '@/lib/chime';
import { session } from '@/lib/session';
import { wakeLock, type WakeLockState } from '@/lib/wake-lock';

function soundLine(state: ChimeState): string {
  return state === 'on'
    ? 'Sound on: you heard the chime.'
    : 'Sound is blocked: check the volume and silent mode, then tap the red banner.';
}

function screenLine(state: WakeLockState): string {
  switch (state) {
    case 'held':
      return 'The screen stays awake.';
    case 'unsupported':
      return 'This browser cannot keep the screen awake: set the tablet never to sleep.';
    case 'refused':
      return 'The tablet refused to keep the screen awake (battery saver?): set it never to sleep.';
    case 'off':
      return 'The screen may sleep.';
  }
}

/**
 * "Start shift": shown after signing in and after every reload, because a browser only lets a
 * page make sound after a tap. One tap unlocks the chime (it plays once) and takes the Screen
 * Wake Lock; a toast says whether both worked.
 */
export function StartShift({
  opened,
  onStarted,
  onSignedOut,
}: {
  opened: boolean;
  onStarted: () => void;
  onSignedOut: () => void;
}) {
  const [starting, setStarting] = useState(false);
  const { user } = useSessionState(session);

  async function start(): Promise<void> {
    setStarting(true);
    // Both in the tap's own turn: browsers unlock audio only inside a user gesture.
    const [sound, screen] = await Promise.all([chime.enable(), wakeLock.start()]);
    setStarting(false);
    onStarted();
    const ok = sound === 'on' && screen === 'held';
    notifications.show({
      id: 'shift-started',
      title: ok ? 'Shift started' : 'Shift started, with a problem',
      message: `${soundLine(sound)} ${screenLine(screen)}`,
      color: ok ? 'green' : 'orange',
      autoClose: ok ? 6000 : false,
    });
  }

  return (
    <Modal
      opened={opened}
      onClose={() => undefined}
      fullScreen
      withCloseButton={false}
      closeOnEscape={false}
      closeOnClickOutside={false}
      title="Start shift"
      data-testid="start-shift"
    >
      <Stack align="center" justify="center" gap="lg" mih="70vh" ta="center">
        <Title order={2}>Ready for the bar?</Title>
        <Text size="lg" maw={480}>
          One tap turns on the chime for new orders and keeps this screen awake for the whole shift.
        </Text>
        <Button
          size="xl"
          color="orange"
          loading={starting}
          onClick={() => void start()}
          data-autofocus
        >
          Start shift
        </Button>
        <Text c="dimmed">
          Signed in as {user?.name ?? 'someone else'}. Not you?{' '}
          <SignOutButton
            session={session}
            variant="subtle"
            size="compact-md"
            onSignedOut={onSignedOut}
          />
        </Text>
      </Stack>
    </Modal>
  );
}
