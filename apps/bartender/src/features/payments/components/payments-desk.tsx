import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Order } from '@taproom/web-core/api/contracts';
import { formatMoney } from '@taproom/web-core/ui/format';
import { paymentMethodLabel } from '@taproom/web-core/ui/payment-status';
import { createContext, type ReactNode, use, useMemo, useState } from 'react';
import { CURRENCY } from '@/config/app-config';
import { recordPayment, type TabOwner } from '../api/payments-api';
import { type PaidSummary, PaymentDialog, type PaymentTarget } from './payment-dialog';
import { TabDrawer } from './tab-drawer';

interface PaymentsDesk {
  /** "Take payment" for one order. */
  payOrder: (order: Order) => void;
  /** Opens a tab (null: the tab drawer with only the table number asked). */
  openTab: (owner: TabOwner | null) => void;
}

const DeskContext = createContext<PaymentsDesk | null>(null);

function useDesk(): PaymentsDesk {
  const desk = use(DeskContext);
  if (desk === null) throw new Error('Payments controls need a <PaymentsDeskProvider>.');
  return desk;
}

const money = (cents: number): string => formatMoney(cents, CURRENCY);

function announcePaid(what: string, paid: PaidSummary): void {
  const tip = paid.tipCents > 0 ? ` + ${money(paid.tipCents)} tip` : '';
  const change =
    paid.changeCents !== null && paid.changeCents > 0
      ? ` Give ${money(paid.changeCents)} change.`
      : '';
  notifications.show({
    color: 'green',
    autoClose: 8000,
    title: `${what}: ${money(paid.amountCents)}${tip} by ${paymentMethodLabel(paid.method).toLowerCase()}`,
    message: `Recorded.${change}`,
  });
}

/**
 * The bar's till: the "Take payment" dialog and the tab drawer, opened from the tickets' menus,
 * the recently completed list and the board's "Tabs" button. `onOrderPaid` hears each order a
 * payment here changed (the board shows its new status at once, before the live event).
 */
export function PaymentsDeskProvider({
  children,
  onOrderPaid,
}: {
  children: ReactNode;
  onOrderPaid: (order: Order) => void;
}) {
  const [payment, setPayment] = useState<PaymentTarget | null>(null);
  const [tabOpen, setTabOpen] = useState(false);
  const [tabOwner, setTabOwner] = useState<TabOwner | null>(null);

  const desk = useMemo<PaymentsDesk>(
    () => ({
      payOrder: (order) => {
        setPayment({
          title: `Order #${String(order.number)}`,
          description:
            order.paidCents > 0
              ? `Total ${money(order.totalCents)}, paid ${money(order.paidCents)}`
              : `Total ${money(order.totalCents)}`,
          balanceCents: order.balanceCents,
          send: async (body, key) => {
            onOrderPaid(await recordPayment(order.id, body, key));
          },
          onPaid: (paid) => {
            announcePaid(`Order #${String(order.number)}`, paid);
          },
        });
      },
      openTab: (owner) => {
        setTabOwner(owner);
        setTabOpen(true);
      },
    }),
    [onOrderPaid],
  );

  return (
    <DeskContext value={desk}>
      {children}
      <TabDrawer
        owner={tabOwner}
        opened={tabOpen}
        onClose={() => {
          setTabOpen(false);
        }}
        onOpenTab={setTabOwner}
        onPay={(target) => {
          setPayment({
            ...target,
            onPaid: (paid) => {
              target.onPaid?.(paid);
              announcePaid(target.title, paid);
            },
          });
        }}
      />
      <PaymentDialog
        target={payment}
        onClose={() => {
          setPayment(null);
        }}
      />
    </DeskContext>
  );
}

/** The ticket menu's payment entries: take payment, the table's tab, the customer's tab. */
export function TicketPaymentItems({ order }: { order: Order }) {
  const desk = useDesk();
  const { tableNumber } = order;
  return (
    <>
      <Menu.Item
        disabled={order.balanceCents === 0}
        onClick={() => {
          desk.payOrder(order);
        }}
      >
        Take payment…
      </Menu.Item>
      {tableNumber !== null && (
        <Menu.Item
          onClick={() => {
            desk.openTab({ kind: 'table', tableNumber });
          }}
        >
          Table {tableNumber} tab…
        </Menu.Item>
      )}
      <Menu.Item
        onClick={() => {
          desk.openTab({
            kind: 'customer',
            customerId: order.customer.id,
            name: order.customer.name,
          });
        }}
      >
        {order.customer.name}’s tab…
      </Menu.Item>
      <Menu.Divider />
    </>
  );
}

/** The board's "Tabs" button: the tab drawer, asking for a table number. */
export function OpenTabButton() {
  const desk = useDesk();
  return (
    <Button
      variant="default"
      size="sm"
      onClick={() => {
        desk.openTab(null);
      }}
    >
      Tabs
    </Button>
  );
}

/** "Pay" on a served order that still has something to pay. */
export function PayButton({ order }: { order: Order }) {
  const desk = useDesk();
  if (order.status === 'cancelled' || order.balanceCents === 0) return null;
  return (
    <Button
      size="sm"
      variant="light"
      onClick={() => {
        desk.payOrder(order);
      }}
      aria-label={`Take payment for order ${String(order.number)}, ${money(order.balanceCents)} left`}
    >
      Pay
    </Button>
  );
}
