import { Alert, Badge, Button, Group, SegmentedControl, Text } from '@mantine/core';
import { useLocalStorage, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { asApiError } from '@taproom/web-core/api/api-client';
import type { Order, OrderStatus, Venue } from '@taproom/web-core/api/contracts';
import type { ConnectionState } from '@taproom/web-core/live/event-stream';
import { orderStatusShortLabel } from '@taproom/web-core/ui/order-status';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AGE_TICK_MS, CHIME_REPEAT_MS } from '@/config/app-config';
import { chime, type ChimeState } from '@/lib/chime';
import { useBoardKeys } from '../hooks/use-board-keys';
import { useNow } from '../hooks/use-now';
import { useQueue } from '../hooks/use-queue';
import { queueStore } from '../stores/queue-store';
import {
  ageLevel,
  ALL_STATIONS,
  allDayCounts,
  formatAge,
  groupQueue,
  isQueueStatus,
  nextStatus,
  previousStatus,
  QUEUE_STATUSES,
  type QueueStatus,
  recentList,
  type StationFilter,
  stationsOnBoard,
  ticketAt,
} from '../utils/queue-logic';
import { AllDayPanel } from './all-day-panel';
import { CancelDialog } from '@taproom/web-core/ui/cancel-order-dialog';
import { HelpOverlay } from './help-overlay';
import { NewOrdersBanner } from './new-orders-banner';
import { RecentDrawer } from './recent-drawer';
import { TicketCard, type TicketActions, type TicketAddons } from './ticket-card';

const LANE_TITLES: Record<QueueStatus, string> = {
  pending: 'New',
  accepted: 'Accepted',
  preparing: 'Preparing',
  ready: 'Ready',
};
/** The station filter's "every station" value, as stored on this device. */
const EVERY_STATION = '';
/** Narrower than this, one lane at a time (tabs); wider, every lane at once. */
const ONE_LANE_QUERY = '(max-width: 599px)';

type Panel = 'none' | 'recent' | 'allDay' | 'help' | 'cancel';

/** Plays the chime when a new order arrives and again every few seconds until it is seen. */
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

/** Brings a ticket into view and gives it focus (screen readers read it), once it is drawn. */
function reveal(id: string): void {
  requestAnimationFrame(() => {
    const element = document.getElementById(`ticket-${id}`);
    if (element === null) return;
    element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    element.focus({ preventScroll: true });
  });
}

/**
 * The bar board, built for a rush: every lane on screen with its count and its oldest ticket's
 * age, tickets oldest first scrolling inside their lane (one lane at a time on a phone), new
 * orders announced in a banner across the top and by a chime until seen, one big next step per
 * ticket with an undo toast, the recently completed tickets with recall, an all-day count, a
 * station filter remembered on this device, and keys for a keyboard or bump bar.
 */
export function QueueBoard({
  venue,
  connection,
  sound,
  notices,
  allergensOf,
  toolbar,
  addons,
}: {
  venue: Venue;
  connection: ConnectionState;
  /** Whether the chime can play: it repeats for new orders only when it can. */
  sound: ChimeState;
  /** What else must be seen above the lanes (a silent shift's banner). */
  notices?: ReactNode;
  allergensOf: (menuItemId: string) => readonly string[];
  /** More buttons for the toolbar (the till's "Tabs"). */
  toolbar?: ReactNode;
  /** What other features add to tickets (keep it stable: tickets redraw when it changes). */
  addons?: TicketAddons;
}) {
  const queue = useQueue();
  const now = useNow(AGE_TICK_MS);
  const oneLane = useMediaQuery(ONE_LANE_QUERY);
  const [storedStation, setStoredStation] = useLocalStorage({
    key: 'taproom.bar.station',
    defaultValue: EVERY_STATION,
  });
  const stations = useMemo(
    () => stationsOnBoard(venue.stations, queue.orders),
    [venue.stations, queue.orders],
  );
  const station: StationFilter =
    storedStation !== EVERY_STATION && stations.includes(storedStation)
      ? storedStation
      : ALL_STATIONS;
  const [shownLane, setShownLane] = useState<QueueStatus>('pending');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [actionError, setActionError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<Order | null>(null);
  const [panel, setPanel] = useState<Panel>('none');

  const columns = useMemo(() => groupQueue(queue.orders, station), [queue.orders, station]);
  const lanes = useMemo(() => (oneLane ? [shownLane] : QUEUE_STATUSES), [oneLane, shownLane]);
  const visibleLanes = useMemo(() => lanes.map((status) => columns[status]), [lanes, columns]);
  const recent = useMemo(() => recentList(queue.recent, now), [queue.recent, now]);
  const counts = useMemo(() => allDayCounts(queue.orders, station), [queue.orders, station]);
  const newOrders = useMemo(
    () => columns.pending.filter((order) => queue.unacknowledged.has(order.id)),
    [columns.pending, queue.unacknowledged],
  );
  // Only for what this board shows: a kitchen tablet does not chime for the bar's orders.
  useChimeWhileWaiting(newOrders.length, sound === 'on');
  const thresholds = {
    amberMs: venue.ticketAmberAfterSeconds * 1000,
    redMs: venue.ticketRedAfterSeconds * 1000,
  };

  // A failed action's message goes once the stream is back: what failed can be tried again.
  const wasLive = useRef(connection === 'live');
  useEffect(() => {
    if (connection === 'live' && !wasLive.current) setActionError(null);
    wasLive.current = connection === 'live';
  }, [connection]);

  const run = useCallback(
    (order: Order, work: () => Promise<Order | null>, after?: (moved: Order) => void) => {
      setBusy((ids) => new Set(ids).add(order.id));
      work()
        .then((moved) => {
          setActionError(null);
          if (moved !== null) after?.(moved);
        })
        .catch((caught: unknown) => {
          setActionError(
            `Order ${String(order.number)}: ${asApiError(caught)?.message ?? 'that did not work.'}`,
          );
        })
        .finally(() => {
          setBusy((ids) => {
            const next = new Set(ids);
            next.delete(order.id);
            return next;
          });
        });
    },
    [],
  );

  /** Five seconds to take a move back, where the life cycle allows one. */
  const offerUndo = useCallback(
    (moved: Order, from: OrderStatus) => {
      const id = `undo-${moved.id}`;
      const undoable = from !== 'pending';
      notifications.show({
        id,
        autoClose: 5000,
        withCloseButton: true,
        message: (
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <Text size="sm">
              #{moved.number} → {orderStatusShortLabel(moved.status)}
            </Text>
            {undoable && (
              <Button
                size="compact-sm"
                variant="light"
                onClick={() => {
                  notifications.hide(id);
                  const current = queueStore.current(moved.id) ?? moved;
                  if (current.status !== moved.status) {
                    // Someone moved it on meanwhile: undoing now would undo their move.
                    notifications.show({
                      color: 'orange',
                      message: `#${String(moved.number)} has moved on since; nothing was undone.`,
                    });
                    return;
                  }
                  run(current, () => queueStore.changeStatus(current, from));
                }}
              >
                Undo
              </Button>
            )}
          </Group>
        ),
      });
    },
    [run],
  );

  const advance = useCallback(
    (order: Order) => {
      if (!isQueueStatus(order.status)) return;
      const from = order.status;
      run(
        order,
        () => queueStore.changeStatus(order, nextStatus(from)),
        (moved) => {
          offerUndo(moved, from);
        },
      );
    },
    [run, offerUndo],
  );

  const recall = useCallback(
    (order: Order): boolean => {
      if (!isQueueStatus(order.status)) return false;
      const status = previousStatus(order.status);
      if (status === null) return false;
      run(order, () => queueStore.changeStatus(order, status));
      return true;
    },
    [run],
  );

  const recallServed = useCallback(
    (order: Order) => {
      run(order, async () => {
        const moved = await queueStore.changeStatus(order, 'ready');
        if (moved === null) {
          // Refused (the window closed) or changed meanwhile: say so where the person looks.
          const notice = queueStore.getState().conflicts.get(order.id);
          if (notice !== undefined) {
            queueStore.dismissConflict(order.id);
            notifications.show({
              color: 'red',
              title: `Order ${String(order.number)} was not recalled`,
              message: notice.message,
              autoClose: 8000,
            });
          }
        }
        return moved;
      });
    },
    [run],
  );

  const select = useCallback((id: string | null) => {
    setSelectedId(id);
    if (id !== null) reveal(id);
  }, []);

  const jumpTo = useCallback(
    (order: Order) => {
      queueStore.acknowledge(order.id);
      if (oneLane && isQueueStatus(order.status)) setShownLane(order.status);
      select(order.id);
    },
    [oneLane, select],
  );

  const actions = useMemo<TicketActions>(
    () => ({
      onAdvance: advance,
      onRecall: (order) => {
        recall(order);
      },
      onCancel: (order) => {
        setCancelling(order);
        setPanel('cancel');
      },
      onSelect: (order) => {
        setSelectedId(order.id);
        queueStore.acknowledge(order.id);
      },
      onDismissConflict: (id) => {
        queueStore.dismissConflict(id);
      },
    }),
    [advance, recall],
  );

  useBoardKeys(visibleLanes, selectedId, panel !== 'none', {
    select,
    advance,
    recall,
    acknowledgeAll: () => {
      queueStore.acknowledgeAll();
    },
    showHelp: () => {
      setPanel('help');
    },
  });

  // Notices about orders that left the queue (someone else completed or cancelled them).
  const departed = [...queue.conflicts.values()].filter(
    (notice) => !queue.orders.has(notice.order.id),
  );
  const closePanel = (): void => {
    setPanel('none');
  };
  const stationLabel = station ?? 'every station';

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
    <div className="board" data-sound={sound} data-station={station ?? 'all'}>
      <div className="board-toolbar">
        {stations.length > 1 && (
          <SegmentedControl
            aria-label="Station"
            size="sm"
            value={station ?? EVERY_STATION}
            onChange={setStoredStation}
            data={[
              { label: 'All', value: EVERY_STATION },
              ...stations.map((name) => ({
                label: name.charAt(0).toUpperCase() + name.slice(1),
                value: name,
              })),
            ]}
          />
        )}
        <Group gap={6} wrap="nowrap" ml="auto">
          {toolbar}
          <Button
            variant="default"
            size="sm"
            onClick={() => {
              setPanel('allDay');
            }}
          >
            All day
          </Button>
          <Button
            variant="default"
            size="sm"
            onClick={() => {
              setPanel('recent');
            }}
            rightSection={
              <Badge size="sm" color="dark" variant="filled" circle={recent.length < 10}>
                {recent.length}
              </Badge>
            }
            title="Recently completed and cancelled (last 2 hours)"
          >
            Done
          </Button>
          <Button
            variant="subtle"
            size="sm"
            onClick={() => {
              setPanel('help');
            }}
            aria-label="Keyboard keys"
          >
            ?
          </Button>
        </Group>
      </div>
      {notices}
      <NewOrdersBanner
        orders={newOrders}
        onJump={jumpTo}
        onAcknowledgeAll={() => {
          queueStore.acknowledgeAll();
        }}
      />
      {queue.error !== null && (
        <Text size="sm" c="red" role="status">
          Last refresh failed: {queue.error}
        </Text>
      )}
      {actionError !== null && (
        <Alert
          color="red"
          role="alert"
          p="xs"
          withCloseButton
          closeButtonLabel="Dismiss the error"
          onClose={() => {
            setActionError(null);
          }}
        >
          {actionError}
        </Alert>
      )}
      {departed.length > 0 && (
        // Bounded: a burst of notices never pushes the lanes off the screen.
        <div className="board-notices">
          {departed.length > 1 && (
            <Button
              size="compact-sm"
              variant="subtle"
              color="orange"
              onClick={() => {
                queueStore.dismissConflicts(departed.map((notice) => notice.order.id));
              }}
            >
              Dismiss all {departed.length} notices
            </Button>
          )}
          {departed.map((notice) => (
            <Alert
              key={notice.order.id}
              color="orange"
              role="alert"
              p="xs"
              data-testid="conflict-notice"
              withCloseButton
              closeButtonLabel={`Dismiss the notice on order ${String(notice.order.number)}`}
              onClose={() => {
                queueStore.dismissConflict(notice.order.id);
              }}
            >
              Order {notice.order.number}: {notice.message} It is now{' '}
              <b>{orderStatusShortLabel(notice.order.status).toLowerCase()}</b>
              {notice.order.cancelReason !== null ? ` (${notice.order.cancelReason})` : ''}.
            </Alert>
          ))}
        </div>
      )}
      {oneLane && (
        <SegmentedControl
          aria-label="Lane"
          fullWidth
          value={shownLane}
          onChange={(value) => {
            setShownLane(value);
          }}
          data={QUEUE_STATUSES.map((status) => ({
            label: (
              <span className="lane-tab">
                {LANE_TITLES[status]}
                <b>{columns[status].length}</b>
              </span>
            ),
            value: status,
          }))}
        />
      )}
      <div className="lanes" data-one-lane={oneLane || undefined}>
        {lanes.map((status) => {
          const tickets = columns[status];
          const oldest = tickets[0];
          return (
            <section
              key={status}
              className="lane"
              aria-labelledby={`lane-${status}`}
              data-column={status}
            >
              <header className="lane-head">
                <h2 id={`lane-${status}`} className="lane-title">
                  {LANE_TITLES[status]}
                </h2>
                <Badge
                  variant="filled"
                  color="dark"
                  size="lg"
                  aria-label={`${String(tickets.length)} orders`}
                  data-testid="lane-count"
                >
                  {tickets.length}
                </Badge>
                {oldest !== undefined && (
                  <Text size="xs" c="dimmed" ml="auto" className="lane-oldest">
                    oldest {formatAge(oldest.createdAt, now)}
                  </Text>
                )}
              </header>
              <div className="lane-body">
                {tickets.map((order, index) => {
                  const view = ticketAt(order, station);
                  if (view === null) return null;
                  return (
                    <TicketCard
                      key={order.id}
                      order={order}
                      status={status}
                      view={view}
                      level={ageLevel(order.createdAt, now, thresholds)}
                      now={now}
                      oldest={index === 0 && tickets.length > 1}
                      isNew={queue.unacknowledged.has(order.id)}
                      selected={selectedId === order.id}
                      busy={busy.has(order.id)}
                      conflict={queue.conflicts.get(order.id)}
                      allergensOf={allergensOf}
                      actions={actions}
                      addons={addons}
                    />
                  );
                })}
                {tickets.length === 0 && (
                  <Text c="dimmed" size="sm" ta="center" py="md">
                    Nothing here
                  </Text>
                )}
              </div>
            </section>
          );
        })}
      </div>
      <CancelDialog
        order={panel === 'cancel' ? cancelling : null}
        onCancel={async (order, reason) => {
          await queueStore.cancel(order, reason);
          setActionError(null);
        }}
        onClose={() => {
          setCancelling(null);
          closePanel();
        }}
      />
      <RecentDrawer
        opened={panel === 'recent'}
        onClose={closePanel}
        orders={recent}
        now={now}
        recallWindowSeconds={venue.recallWindowSeconds}
        busy={busy}
        onRecall={recallServed}
        addons={addons}
      />
      <AllDayPanel
        opened={panel === 'allDay'}
        onClose={closePanel}
        counts={counts}
        stationLabel={stationLabel}
      />
      <HelpOverlay opened={panel === 'help'} onClose={closePanel} />
    </div>
  );
}
