import { Alert, Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import type { Order } from '@taproom/web-core/api/contracts';
import { orderStatusShortLabel } from '@taproom/web-core/ui/order-status';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AGE_TICK_MS, CHIME_REPEAT_MS } from '@/config/app-config';
import { chime } from '@/lib/chime';
import { useNow } from '../hooks/use-now';
import { useQueue } from '../hooks/use-queue';
import { queueStore } from '../stores/queue-store';
import {
  groupQueue,
  isQueueStatus,
  nextStatus,
  previousStatus,
  QUEUE_STATUSES,
} from '../utils/queue-logic';
import { CancelDialog } from './cancel-dialog';
import { TicketCard, type TicketActions } from './ticket-card';

const COLUMN_TITLES = {
  pending: 'New',
  accepted: 'Accepted',
  preparing: 'Preparing',
  ready: 'Ready',
} as const;

/** Plays the chime now and then again every few seconds while new orders wait. */
function useChimeWhileWaiting(waiting: number, soundOn: boolean): void {
  const previous = useRef(0);
  useEffect(() => {
    if (soundOn && waiting > previous.current) chime.play();
    previous.current = waiting;
  }, [waiting, soundOn]);
  useEffect(() => {
    if (!soundOn || waiting === 0) return undefined;
    const timer = setInterval(() => {
      chime.play();
    }, CHIME_REPEAT_MS);
    return () => {
      clearInterval(timer);
    };
  }, [waiting, soundOn]);
}

/** The live queue: one column per status, oldest ticket first. */
export function QueueBoard({
  allergensOf,
}: {
  allergensOf: (menuItemId: string) => readonly string[];
}) {
  const queue = useQueue();
  const now = useNow(AGE_TICK_MS);
  const columns = useMemo(() => groupQueue(queue.orders), [queue.orders]);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [actionError, setActionError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<Order | null>(null);
  const [soundOn, setSoundOn] = useState(chime.enabled);
  useChimeWhileWaiting(queue.unacknowledged.size, soundOn);

  const run = useCallback((order: Order, work: () => Promise<void>) => {
    setBusy((ids) => new Set(ids).add(order.id));
    setActionError(null);
    work()
      .catch((caught: unknown) => {
        setActionError(
          `Order ${order.number}: ${asApiError(caught)?.message ?? 'that did not work.'}`,
        );
      })
      .finally(() => {
        setBusy((ids) => {
          const next = new Set(ids);
          next.delete(order.id);
          return next;
        });
      });
  }, []);

  const actions = useMemo<TicketActions>(
    () => ({
      onAdvance: (order) => {
        if (!isQueueStatus(order.status)) return;
        const status = nextStatus(order.status);
        run(order, () => queueStore.changeStatus(order, status));
      },
      onRecall: (order) => {
        if (!isQueueStatus(order.status)) return;
        const status = previousStatus(order.status);
        if (status !== null) run(order, () => queueStore.changeStatus(order, status));
      },
      onCancel: (order) => {
        setCancelling(order);
      },
      onAcknowledge: (id) => {
        queueStore.acknowledge(id);
      },
      onDismissConflict: (id) => {
        queueStore.dismissConflict(id);
      },
    }),
    [run],
  );

  // Notices about orders that left the queue (someone else completed or cancelled them).
  const departed = [...queue.conflicts.values()].filter(
    (notice) => !queue.orders.has(notice.order.id),
  );

  if (queue.status === 'loading' || queue.status === 'idle') {
    return <LoadingState label="Loading the queue…" />;
  }
  if (queue.status === 'error') {
    return (
      <ErrorState
        title="Could not load the queue"
        message={queue.error ?? ''}
        onRetry={() => void queueStore.load()}
      />
    );
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          {soundOn ? (
            <Button
              variant="light"
              size="sm"
              onClick={() => {
                chime.disable();
                setSoundOn(false);
              }}
            >
              Sound on · mute
            </Button>
          ) : (
            <Button
              color="orange"
              size="sm"
              onClick={() => {
                void chime.enable().then(() => {
                  setSoundOn(true);
                });
              }}
            >
              Tap to enable sound
            </Button>
          )}
          {queue.unacknowledged.size > 0 && (
            <Button
              color="red.9"
              size="sm"
              className="flash-button"
              onClick={() => {
                queueStore.acknowledgeAll();
              }}
            >
              Acknowledge {queue.unacknowledged.size} new
            </Button>
          )}
        </Group>
        {queue.error !== null && (
          <Text size="sm" c="red" role="status">
            Last refresh failed: {queue.error}
          </Text>
        )}
      </Group>
      {actionError !== null && (
        <Alert
          color="red"
          role="alert"
          withCloseButton
          closeButtonLabel="Dismiss the error"
          onClose={() => {
            setActionError(null);
          }}
        >
          {actionError}
        </Alert>
      )}
      {departed.map((notice) => (
        <Alert
          key={notice.order.id}
          color="orange"
          role="alert"
          data-testid="conflict-notice"
          withCloseButton
          closeButtonLabel={`Dismiss the notice on order ${notice.order.number}`}
          onClose={() => {
            queueStore.dismissConflict(notice.order.id);
          }}
        >
          Order {notice.order.number}: {notice.message} It is now{' '}
          <b>{orderStatusShortLabel(notice.order.status).toLowerCase()}</b>
          {notice.order.cancelReason !== null ? ` (${notice.order.cancelReason})` : ''}.
        </Alert>
      ))}
      <div className="queue-columns">
        {QUEUE_STATUSES.map((status) => (
          <section
            key={status}
            className="queue-column"
            aria-labelledby={`column-${status}`}
            data-column={status}
          >
            <Group justify="space-between" className="queue-column-head">
              <Title order={2} size="h4" id={`column-${status}`}>
                {COLUMN_TITLES[status]}
              </Title>
              <Badge
                variant="filled"
                color="dark"
                aria-label={`${String(columns[status].length)} orders`}
              >
                {columns[status].length}
              </Badge>
            </Group>
            <Stack gap="sm">
              {columns[status].map((order) => (
                <TicketCard
                  key={order.id}
                  order={order}
                  status={status}
                  now={now}
                  isNew={queue.unacknowledged.has(order.id)}
                  busy={busy.has(order.id)}
                  conflict={queue.conflicts.get(order.id)}
                  allergensOf={allergensOf}
                  actions={actions}
                />
              ))}
              {columns[status].length === 0 && (
                <Text c="dimmed" size="sm" ta="center" py="md">
                  Nothing here
                </Text>
              )}
            </Stack>
          </section>
        ))}
      </div>
      <CancelDialog
        order={cancelling}
        onCancel={(order, reason) => queueStore.cancel(order, reason)}
        onClose={() => {
          setCancelling(null);
        }}
      />
    </Stack>
  );
}
