import '@mantine/core/styles/Checkbox.css';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Drawer,
  Group,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { Order, Tab } from '@taproom/web-core/api/contracts';
import { splitEvenly } from '@taproom/web-core/money/split-evenly';
import { formatMoney, formatTime } from '@taproom/web-core/ui/format';
import { orderStatusShortLabel } from '@taproom/web-core/ui/order-status';
import { PaymentStatusBadge } from '@taproom/web-core/ui/payment-status-badge';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { type SubmitEvent, useEffect, useMemo, useState } from 'react';
import { CURRENCY } from '@/config/app-config';
import { onLiveEvent } from '@/lib/live-events';
import { payTab, type TabOwner, tabQueryKey, useTab } from '../api/payments-api';
import type { PaymentTarget } from './payment-dialog';

const money = (cents: number): string => formatMoney(cents, CURRENCY);
const MAX_SPLIT = 20;

/** Whose tab, in a few words: "Table 4", "Ana Ramírez". */
function tabTitle(owner: TabOwner): string {
  return owner.kind === 'table' ? `Table ${String(owner.tableNumber)}` : owner.name;
}

function linesOf(order: Order): string {
  return order.items.map((line) => `${String(line.quantity)}× ${line.name}`).join(', ');
}

function ordersWord(count: number): string {
  return count === 1 ? '1 order' : `${String(count)} orders`;
}

/** A split in progress: the shares of one balance, which of them are paid, and for which orders. */
interface Split {
  shares: number[];
  paid: boolean[];
  /** The orders chosen when splitting (undefined: the whole tab). */
  orderIds: string[] | undefined;
}

/** Whether an order event concerns this tab (its table, or its customer). */
function concerns(owner: TabOwner, order: Order): boolean {
  return owner.kind === 'table'
    ? order.tableNumber === owner.tableNumber
    : order.customer.id === owner.customerId;
}

/**
 * A tab: one table's or one customer's orders of today with something left to pay, oldest first,
 * with what each cost, what is paid and what is left. Pay the lot or the chosen orders (oldest
 * first, each up to its balance), or split the balance evenly by N and take each share in turn.
 * Kept current by the live stream while open.
 */
export function TabDrawer({
  owner,
  opened,
  onClose,
  onOpenTab,
  onPay,
}: {
  owner: TabOwner | null;
  opened: boolean;
  onClose: () => void;
  /** Opens another tab (a table number typed in). */
  onOpenTab: (owner: TabOwner) => void;
  onPay: (target: PaymentTarget) => void;
}) {
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="lg"
      title={owner === null ? 'Tabs' : `Tab: ${tabTitle(owner)}`}
      closeButtonProps={{ 'aria-label': 'Close the tab' }}
    >
      <Stack gap="md">
        <TableNumberForm
          key={owner?.kind === 'table' ? owner.tableNumber : 'none'}
          current={owner?.kind === 'table' ? owner.tableNumber : null}
          onOpen={(tableNumber) => {
            onOpenTab({ kind: 'table', tableNumber });
          }}
        />
        {owner === null ? (
          <Text c="dimmed">
            Enter a table number, or open a customer’s tab from one of their tickets (⋯).
          </Text>
        ) : (
          <TabContent key={tabQueryKey(owner).join(':')} owner={owner} onPay={onPay} />
        )}
      </Stack>
    </Drawer>
  );
}

function TableNumberForm({
  current,
  onOpen,
}: {
  current: number | null;
  onOpen: (tableNumber: number) => void;
}) {
  const [text, setText] = useState(current === null ? '' : String(current));
  const [error, setError] = useState<string | null>(null);
  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    const trimmed = text.trim();
    if (!/^[1-9]\d{0,2}$/.test(trimmed)) {
      setError('Table numbers run from 1 to 999.');
      return;
    }
    setError(null);
    onOpen(Number(trimmed));
  }
  return (
    <form onSubmit={submit} noValidate>
      <Group align="flex-start" gap="xs" wrap="nowrap">
        <TextInput
          label="Table"
          inputMode="numeric"
          autoComplete="off"
          w={120}
          value={text}
          error={error}
          data-autofocus={current === null || undefined}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setError(null);
          }}
        />
        <Button type="submit" variant="default" mt={25}>
          Open tab
        </Button>
      </Group>
    </form>
  );
}

function TabContent({ owner, onPay }: { owner: TabOwner; onPay: (target: PaymentTarget) => void }) {
  const tab = useTab(owner);
  const client = useQueryClient();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [parts, setParts] = useState('2');
  const [partsError, setPartsError] = useState<string | null>(null);
  const [split, setSplit] = useState<Split | null>(null);

  // Any change to one of this table's (or customer's) orders refreshes the tab.
  useEffect(
    () =>
      onLiveEvent((event) => {
        if (
          event.type === 'resync' ||
          ((event.type === 'order.created' || event.type === 'order.updated') &&
            concerns(owner, event.data))
        ) {
          void client.invalidateQueries({ queryKey: tabQueryKey(owner) });
        }
      }),
    [client, owner],
  );

  const orders = useMemo(() => tab.data?.orders ?? [], [tab.data]);
  // What is chosen and still on the tab (a paid order leaves it).
  const selected = orders.filter((order) => chosen.has(order.id));
  const payingAll = selected.length === 0;
  const scope = payingAll ? orders : selected;
  const scopeBalance = scope.reduce((sum, order) => sum + order.balanceCents, 0);
  const orderIds = payingAll ? undefined : selected.map((order) => order.id);

  if (tab.isPending) return <LoadingState label="Loading the tab…" />;
  if (tab.isError) {
    return <ErrorState message={tab.error.message} onRetry={() => void tab.refetch()} />;
  }

  function applyTab(next: Tab): void {
    client.setQueryData(tabQueryKey(owner), next);
  }

  /**
   * Paying `ids` (undefined: the whole tab), whose balance is `balance`; a split's share has its
   * amount fixed and is marked paid with the answer (in the same render as the new tab).
   */
  function payTarget(
    ids: string[] | undefined,
    balance: number,
    share?: { index: number; amountCents: number },
  ): PaymentTarget {
    const count = ids?.length ?? orders.length;
    const what =
      ids === undefined ? `Whole tab, ${ordersWord(count)}` : `${ordersWord(count)} chosen`;
    return {
      title: tabTitle(owner),
      description:
        share === undefined
          ? what
          : `Share ${String(share.index + 1)} of ${String(split?.shares.length ?? 0)} · ${what}`,
      balanceCents: balance,
      ...(share === undefined ? {} : { fixedAmountCents: share.amountCents }),
      send: async (body, key) => {
        const next = await payTab(owner, { ...body, ...(ids ? { orderIds: ids } : {}) }, key);
        if (share !== undefined) {
          setSplit((current) =>
            current === null
              ? null
              : { ...current, paid: current.paid.map((was, i) => was || i === share.index) },
          );
        }
        applyTab(next);
      },
    };
  }

  function startSplit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    const n = Number(parts.trim());
    if (!Number.isInteger(n) || n < 2 || n > MAX_SPLIT) {
      setPartsError(`Split between 2 and ${String(MAX_SPLIT)} people.`);
      return;
    }
    if (n > scopeBalance) {
      setPartsError('There isn’t a cent for each share.');
      return;
    }
    setPartsError(null);
    const shares = splitEvenly(scopeBalance, n);
    setSplit({ shares, paid: shares.map(() => false), orderIds });
  }

  const unpaidShares = split === null ? 0 : split.paid.filter((paid) => !paid).length;
  const remainingShares =
    split === null
      ? 0
      : split.shares.reduce((sum, share, i) => sum + (split.paid[i] === true ? 0 : share), 0);
  // The split's orders still on the tab (an order paid in full leaves it).
  const splitOrders =
    split === null
      ? []
      : orders.filter((order) => split.orderIds === undefined || split.orderIds.includes(order.id));
  const splitIds = split?.orderIds === undefined ? undefined : splitOrders.map((order) => order.id);
  const splitBalance = splitOrders.reduce((sum, order) => sum + order.balanceCents, 0);
  const splitStale = split !== null && splitBalance !== remainingShares;

  return (
    <Stack gap="md" data-testid="tab">
      {orders.length === 0 ? (
        <Alert color="green" variant="light" data-testid="tab-settled">
          {owner.kind === 'table'
            ? `Nothing left to pay on table ${String(owner.tableNumber)} today.`
            : `Nothing left for ${owner.name} to pay today.`}
        </Alert>
      ) : (
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
          {orders.map((order) => (
            <li
              key={order.id}
              className="tab-order"
              data-testid="tab-order"
              data-order-number={order.number}
            >
              <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
                <Checkbox
                  size="md"
                  mt={4}
                  checked={chosen.has(order.id)}
                  aria-label={`Choose order ${String(order.number)}`}
                  onChange={(event) => {
                    const on = event.currentTarget.checked;
                    setChosen((previous) => {
                      const next = new Set(previous);
                      if (on) next.add(order.id);
                      else next.delete(order.id);
                      return next;
                    });
                    setSplit(null);
                  }}
                />
                <div style={{ minWidth: 0, flex: 1 }}>
                  <Group gap={8} wrap="nowrap">
                    <Text fw={800} fz="lg">
                      #{order.number}
                    </Text>
                    <Text size="sm" c="dimmed">
                      {formatTime(order.createdAt)} · {orderStatusShortLabel(order.status)}
                    </Text>
                    <PaymentStatusBadge status={order.paymentStatus} size="sm" />
                  </Group>
                  <Text size="sm" lineClamp={2}>
                    {linesOf(order)}
                  </Text>
                  {owner.kind === 'table' && (
                    <Text size="xs" c="dimmed" truncate>
                      {order.customer.name}
                    </Text>
                  )}
                </div>
                <div className="tab-order-sums">
                  <Text size="sm" ta="right">
                    {money(order.totalCents)}
                  </Text>
                  {order.paidCents > 0 && (
                    <Text size="xs" c="dimmed" ta="right">
                      paid {money(order.paidCents)}
                    </Text>
                  )}
                  <Text size="sm" fw={700} ta="right">
                    {money(order.balanceCents)} left
                  </Text>
                </div>
              </Group>
            </li>
          ))}
        </Stack>
      )}
      {tab.data.totalCents > 0 && (
        <div className="tab-totals" data-testid="tab-totals">
          <Group justify="space-between">
            <Text>Total</Text>
            <Text>{money(tab.data.totalCents)}</Text>
          </Group>
          <Group justify="space-between">
            <Text>Paid</Text>
            <Text>{money(tab.data.paidCents)}</Text>
          </Group>
          <Group justify="space-between">
            <Text fw={800}>Left to pay</Text>
            <Text fw={800} fz="xl" data-testid="tab-balance">
              {money(tab.data.balanceCents)}
            </Text>
          </Group>
        </div>
      )}
      {orders.length > 0 && (
        <>
          <Group gap="xs">
            <Button
              size="md"
              onClick={() => {
                onPay(payTarget(orderIds, scopeBalance));
              }}
              disabled={scopeBalance === 0}
            >
              {payingAll
                ? `Pay all ${money(scopeBalance)}`
                : `Pay ${ordersWord(selected.length)} ${money(scopeBalance)}`}
            </Button>
            {!payingAll && (
              <Button
                variant="subtle"
                onClick={() => {
                  setChosen(new Set());
                  setSplit(null);
                }}
              >
                Choose none (whole tab)
              </Button>
            )}
          </Group>
          <form onSubmit={startSplit} noValidate>
            <Group align="flex-start" gap="xs" wrap="nowrap">
              <TextInput
                label="Split evenly by"
                inputMode="numeric"
                autoComplete="off"
                w={200}
                rightSection={<Text size="sm">people</Text>}
                rightSectionWidth={64}
                value={parts}
                error={partsError}
                onChange={(event) => {
                  setParts(event.currentTarget.value);
                  setPartsError(null);
                }}
              />
              <Button type="submit" variant="default" mt={25}>
                Split {money(scopeBalance)}
              </Button>
            </Group>
          </form>
        </>
      )}
      {split !== null && (
        <Stack gap={6} data-testid="split">
          {splitStale && (
            <Alert color="orange" role="alert" p="xs">
              The balance changed since the split ({money(splitBalance)} left, shares left{' '}
              {money(remainingShares)}). Split again.
            </Alert>
          )}
          <Text size="sm" fw={600}>
            {split.shares.length} shares
            {unpaidShares === 0 ? ': all paid' : `, ${String(unpaidShares)} to pay`}
          </Text>
          <Stack component="ol" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
            {split.shares.map((share, index) => {
              const paid = split.paid[index] === true;
              return (
                <li key={index} data-testid="split-share" data-paid={paid || undefined}>
                  <Group justify="space-between" wrap="nowrap" className="split-share">
                    <Text>
                      Share {index + 1} of {split.shares.length}
                    </Text>
                    <Group gap="sm" wrap="nowrap">
                      <Text fw={700}>{money(share)}</Text>
                      {paid ? (
                        <Badge color="green" variant="filled" size="lg">
                          Paid
                        </Badge>
                      ) : (
                        <Button
                          size="sm"
                          disabled={splitStale || share === 0}
                          aria-label={`Pay share ${String(index + 1)}, ${money(share)}`}
                          onClick={() => {
                            onPay(payTarget(splitIds, splitBalance, { index, amountCents: share }));
                          }}
                        >
                          Pay
                        </Button>
                      )}
                    </Group>
                  </Group>
                </li>
              );
            })}
          </Stack>
        </Stack>
      )}
    </Stack>
  );
}
