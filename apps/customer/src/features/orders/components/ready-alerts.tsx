import { Alert, Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { type PushState, currentPushState, disablePush, enablePush } from '@/lib/push';

const EXPLAIN: Record<Exclude<PushState, 'off'>, string> = {
  on: "We'll alert this phone when your order is ready, even when it's locked.",
  blocked:
    "Notifications are blocked for Taproom. Allow them in your browser's site settings to get an alert when your order is ready.",
  unsupported:
    "This browser can't alert you when the phone is locked. On an iPhone, add Taproom to your Home Screen (Share → Add to Home Screen) and open it from there.",
};

/** "Tell me when it's ready": Web Push for this device, and what state it is in, honestly. */
export function ReadyAlerts() {
  const [state, setState] = useState<PushState | 'checking'>('checking');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void currentPushState()
      .catch((): PushState => 'off')
      .then((found) => {
        if (live) setState(found);
      });
    return () => {
      live = false;
    };
  }, []);

  if (state === 'checking') return null;
  const run = (work: () => Promise<PushState>): void => {
    setBusy(true);
    setError(null);
    work()
      .then(setState)
      .catch(() => {
        setError("Couldn't set up alerts on this phone. Try again in a moment.");
      })
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <div data-testid="ready-alerts" data-state={state}>
      {state === 'off' ? (
        <Button
          fullWidth
          variant="light"
          loading={busy}
          onClick={() => {
            run(enablePush);
          }}
        >
          Tell me when it&apos;s ready
        </Button>
      ) : (
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text size="sm" c={state === 'on' ? undefined : 'dimmed'} role="status">
            {EXPLAIN[state]}
          </Text>
          {state === 'on' && (
            <Button
              size="compact-sm"
              variant="subtle"
              loading={busy}
              onClick={() => {
                run(() => disablePush().then((): PushState => 'off'));
              }}
            >
              Turn off
            </Button>
          )}
        </Group>
      )}
      {error !== null && (
        <Alert color="red" role="alert" mt="xs">
          {error}
        </Alert>
      )}
    </div>
  );
}
