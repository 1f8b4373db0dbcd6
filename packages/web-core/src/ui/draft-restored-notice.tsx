import { Alert, Button, Group, Text } from '@mantine/core';

/**
 * "We kept what you were typing": shown once above a form that opened with a saved draft (after
 * a reload, a timeout or being signed out elsewhere), with a way to throw the draft away.
 */
export function DraftRestoredNotice({ onDiscard }: { onDiscard: () => void }) {
  return (
    <Alert color="blue" data-testid="draft-restored">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm">We kept what you were typing. Save it, or discard it to start over.</Text>
        <Button variant="subtle" size="compact-sm" onClick={onDiscard}>
          Discard
        </Button>
      </Group>
    </Alert>
  );
}
