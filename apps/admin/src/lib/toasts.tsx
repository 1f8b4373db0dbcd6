import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { asApiError } from '@taproom/web-core/api/api-client';

/** How long an undo stays offered. */
const UNDO_MS = 8000;

/** The outcome of something an admin did: "Sam Lee is now an admin." */
export function toastDone(message: string): void {
  notifications.show({ color: 'green', message });
}

/** Why something an admin tried did not happen, in the server's words. */
export function toastFailed(title: string, error: unknown): void {
  notifications.show({
    color: 'red',
    title,
    message:
      asApiError(error)?.message ??
      (error instanceof Error ? error.message : 'Something went wrong. Try again.'),
    autoClose: 8000,
  });
}

/**
 * The outcome, with an Undo button for a few seconds. `undo` runs the opposite change and says
 * how that went; the toast closes at once, so one click undoes once.
 */
export function toastWithUndo(message: string, undo: () => Promise<string>): void {
  const id = `undo-${String(Date.now())}-${String(Math.random())}`;
  notifications.show({
    id,
    color: 'green',
    autoClose: UNDO_MS,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm">{message}</Text>
        <Button
          size="compact-sm"
          variant="light"
          onClick={() => {
            notifications.hide(id);
            undo().then(toastDone, (error: unknown) => {
              toastFailed('Could not undo', error);
            });
          }}
        >
          Undo
        </Button>
      </Group>
    ),
  });
}
