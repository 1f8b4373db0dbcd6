import { Alert, Button, Group, Text } from '@mantine/core';
import { chime } from '@/lib/chime';
import { useShiftDevices } from '../hooks/use-shift-devices';

/**
 * Impossible to miss while the shift runs without sound (the browser suspended the audio, the
 * tablet slept): new orders would arrive in silence. One tap turns it back on.
 */
export function SoundBanner() {
  const { sound } = useShiftDevices();
  if (sound === 'on') return null;
  return (
    <Alert
      color="red.9"
      variant="filled"
      role="alert"
      className="connection-down"
      data-testid="sound-banner"
      p="xs"
    >
      <Group justify="space-between" wrap="nowrap">
        <Text fw={700} c="white">
          Sound is off: new orders will not chime.
        </Text>
        <Button color="dark" onClick={() => void chime.enable()}>
          Turn sound on
        </Button>
      </Group>
    </Alert>
  );
}
