import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../users/role.js';
import { vatBreakdown } from './money.js';
import type { LineOption } from './order-options.js';
import { ORDER_STATUSES, type OrderStatus } from './order-state-machine.js';
import {
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  type PaymentMethod,
  type PaymentStatus,
  paymentFigures,
} from './payments/payment-figures.js';
import { CursorPageTotalDto } from '../common/pagination.js';

export class PersonRef {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Sam' })
  name!: string;
}

export class HistoryActor extends PersonRef {
  @ApiProperty({ enum: ROLES })
  role!: Role;
}

/** An option an order line was ordered with, as the menu had it then. */
export class OrderLineOptionView {
  @ApiProperty({ format: 'uuid', description: "The option's id on the menu" })
  id!: string;

  @ApiProperty({ example: 'Size' })
  groupName!: string;

  @ApiProperty({ example: 'Half pint' })
  name!: string;

  @ApiProperty({ example: -250, description: 'What it added to the unit price, in cents' })
  priceDeltaCents!: number;
}

/** The VAT contained in an order's (or a report's) lines of one rate. */
export class VatShareView {
  @ApiProperty({ example: 2000, description: '2000 = 20 %' })
  rateBasisPoints!: number;

  @ApiProperty({ example: 1000, description: 'Gross less VAT, in cents' })
  netCents!: number;

  @ApiProperty({ example: 200 })
  vatCents!: number;
}

export class OrderLineView {
  @ApiProperty({ format: 'uuid' })
  menuItemId!: string;

  @ApiProperty({ description: 'The item name when the order was placed', example: 'Pilsner' })
  name!: string;

  @ApiProperty({
    description: 'The price of one unit with its options, in cents, when the order was placed',
    example: 500,
  })
  unitPriceCents!: number;

  @ApiProperty({ minimum: 1, maximum: 20, example: 2 })
  quantity!: number;

  @ApiProperty({ type: String, nullable: true, example: 'no ice' })
  note!: string | null;

  @ApiProperty({
    example: 'bar',
    description: "Where it is prepared: the item's station when ordered",
  })
  station!: string;

  @ApiProperty({
    type: [OrderLineOptionView],
    description: "The options chosen, in the menu's group order, then option order",
  })
  options!: OrderLineOptionView[];

  @ApiProperty({ example: 2000, description: "The item's VAT rate when ordered (2000 = 20 %)" })
  vatRateBasisPoints!: number;
}

export class OrderHistoryEntry {
  @ApiProperty({ enum: ORDER_STATUSES })
  status!: OrderStatus;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: HistoryActor })
  by!: HistoryActor;
}

export class OrderPaymentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: PAYMENT_METHODS, enumName: 'PaymentMethod' })
  method!: PaymentMethod;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 1000,
    description: 'Paid towards the total',
  })
  amountCents!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 100, description: 'On top of the amount' })
  tipCents!: number;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: HistoryActor, description: 'Who recorded it' })
  by!: HistoryActor;
}

export class OrderRefundView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    enum: PAYMENT_METHODS,
    enumName: 'PaymentMethod',
    description: 'How the money went back',
  })
  method!: PaymentMethod;

  @ApiProperty({ type: 'integer', minimum: 1, example: 500 })
  amountCents!: number;

  @ApiProperty({ example: 'Spilled drink' })
  reason!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: HistoryActor, description: 'Who recorded it' })
  by!: HistoryActor;
}

/** An order as the API shows it. */
export class OrderView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    description: 'Short number for calling out, unique per business day',
    example: 42,
  })
  number!: number;

  @ApiProperty({ type: PersonRef })
  customer!: PersonRef;

  @ApiProperty({ enum: ORDER_STATUSES })
  status!: OrderStatus;

  @ApiProperty({ type: [OrderLineView] })
  items!: OrderLineView[];

  @ApiProperty({ example: 1000 })
  totalCents!: number;

  @ApiProperty({
    type: [VatShareView],
    description:
      'The VAT the total contains, per rate (lowest first): each line rounded half up to the cent, so the shares add up to totalCents',
  })
  vat!: VatShareView[];

  @ApiProperty({ type: 'integer', nullable: true, example: 7 })
  tableNumber!: number | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ type: PersonRef, nullable: true, description: 'The staff member who accepted it' })
  assignee!: PersonRef | null;

  @ApiProperty({ description: 'Send it back with a status change (optimistic concurrency)' })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: [OrderHistoryEntry], description: 'Every status, oldest first' })
  history!: OrderHistoryEntry[];

  @ApiProperty({ type: String, nullable: true })
  cancelReason!: string | null;

  @ApiProperty({
    enum: PAYMENT_STATUSES,
    enumName: 'PaymentStatus',
    description:
      '`refunded`: something was refunded and nothing is left paid; `paid`: paidCents covers the total (an order of 0 is paid); `partially_paid`: something is paid',
  })
  paymentStatus!: PaymentStatus;

  @ApiProperty({
    type: 'integer',
    example: 1000,
    description: 'Paid towards the total, less refunds; tips are not in it',
  })
  paidCents!: number;

  @ApiProperty({ type: 'integer', example: 100, description: 'Tips of all payments' })
  tipCents!: number;

  @ApiProperty({ type: 'integer', example: 0, description: 'Refunded in all' })
  refundedCents!: number;

  @ApiProperty({
    type: 'integer',
    example: 0,
    description: 'Left to pay: totalCents − paidCents; 0 for a cancelled order',
  })
  balanceCents!: number;

  @ApiProperty({ type: [OrderPaymentView], description: 'Oldest first' })
  payments!: OrderPaymentView[];

  @ApiProperty({ type: [OrderRefundView], description: 'Oldest first' })
  refunds!: OrderRefundView[];
}

/** One page of orders, with the cursor of the next. */
export class OrderPage extends CursorPageTotalDto {
  @ApiProperty({ type: [OrderView] })
  items!: OrderView[];
}

/** An order line as `OrdersRepository` reads it. */
interface OrderLineRow {
  menuItemId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  note: string | null;
  station: string;
  options: LineOption[];
  vatRateBasisPoints: number;
}

/** An order as `OrdersRepository` reads it: columns plus its lines and history as JSON. */
export interface OrderRow {
  id: string;
  number: number;
  customerId: string;
  customerName: string;
  status: OrderStatus;
  totalCents: number;
  tableNumber: number | null;
  note: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  cancelReason: string | null;
  version: number;
  createdAt: Date | string;
  updatedAt: Date | string;
  items: OrderLineRow[] | null;
  history: { status: OrderStatus; at: string; byId: string; byName: string; byRole: Role }[] | null;
  /** Its payments and refunds, oldest first (null from a statement that did not read them). */
  money: OrderMoneyRow | null;
}

interface MoneyRowEntry {
  id: string;
  method: PaymentMethod;
  amountCents: number;
  at: string;
  byId: string;
  byName: string;
  byRole: Role;
}

/** An order's `order_payments` rows as `ORDER_COLUMNS` reads them. */
interface OrderMoneyRow {
  payments: (MoneyRowEntry & { tipCents: number })[];
  refunds: (MoneyRowEntry & { reason: string })[];
}

const iso = (value: Date | string): string => new Date(value).toISOString();

/** The VAT an order's lines contain, per rate (see `vatBreakdown`; line gross = unit × quantity). */
export function orderVat(
  lines: readonly Pick<OrderLineView, 'unitPriceCents' | 'quantity' | 'vatRateBasisPoints'>[],
): VatShareView[] {
  return vatBreakdown(
    lines.map((line) => ({
      grossCents: line.unitPriceCents * line.quantity,
      rateBasisPoints: line.vatRateBasisPoints,
    })),
  );
}

export function toOrderView(row: OrderRow): OrderView {
  const items = (row.items ?? []).map((line): OrderLineView => ({
    menuItemId: line.menuItemId,
    name: line.name,
    unitPriceCents: line.unitPriceCents,
    quantity: line.quantity,
    note: line.note,
    station: line.station,
    options: line.options.map((option) => ({
      id: option.id,
      groupName: option.groupName,
      name: option.name,
      priceDeltaCents: option.priceDeltaCents,
    })),
    vatRateBasisPoints: line.vatRateBasisPoints,
  }));
  const payments = (row.money?.payments ?? []).map((payment) => ({
    id: payment.id,
    method: payment.method,
    amountCents: payment.amountCents,
    tipCents: payment.tipCents,
    at: iso(payment.at),
    by: { id: payment.byId, name: payment.byName, role: payment.byRole },
  }));
  const refunds = (row.money?.refunds ?? []).map((refund) => ({
    id: refund.id,
    method: refund.method,
    amountCents: refund.amountCents,
    reason: refund.reason,
    at: iso(refund.at),
    by: { id: refund.byId, name: refund.byName, role: refund.byRole },
  }));
  const figures = paymentFigures({
    totalCents: row.totalCents,
    status: row.status,
    payments,
    refunds,
  });
  return {
    id: row.id,
    number: row.number,
    customer: { id: row.customerId, name: row.customerName },
    status: row.status,
    items,
    totalCents: row.totalCents,
    vat: orderVat(items),
    tableNumber: row.tableNumber,
    note: row.note,
    assignee: row.assigneeId === null ? null : { id: row.assigneeId, name: row.assigneeName ?? '' },
    version: row.version,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    history: (row.history ?? []).map((entry) => ({
      status: entry.status,
      at: iso(entry.at),
      by: { id: entry.byId, name: entry.byName, role: entry.byRole },
    })),
    cancelReason: row.cancelReason,
    paymentStatus: figures.paymentStatus,
    paidCents: figures.paidCents,
    tipCents: figures.tipCents,
    refundedCents: figures.refundedCents,
    balanceCents: figures.balanceCents,
    payments,
    refunds,
  };
}
