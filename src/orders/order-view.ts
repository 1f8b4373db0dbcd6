import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../users/role.js';
import { ORDER_STATUSES, type OrderStatus } from './order-state-machine.js';

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

export class OrderLineView {
  @ApiProperty({ format: 'uuid' })
  menuItemId!: string;

  @ApiProperty({ description: 'The item name when the order was placed', example: 'Pilsner' })
  name!: string;

  @ApiProperty({ description: 'The price in cents when the order was placed', example: 500 })
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
}

export class OrderHistoryEntry {
  @ApiProperty({ enum: ORDER_STATUSES })
  status!: OrderStatus;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: HistoryActor })
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
}

/** One page of orders. */
export class OrderPage {
  @ApiProperty({ type: [OrderView] })
  items!: OrderView[];

  @ApiProperty({ example: 1 })
  total!: number;
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
  items: OrderLineView[] | null;
  history: { status: OrderStatus; at: string; byId: string; byName: string; byRole: Role }[] | null;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

export function toOrderView(row: OrderRow): OrderView {
  return {
    id: row.id,
    number: row.number,
    customer: { id: row.customerId, name: row.customerName },
    status: row.status,
    items: (row.items ?? []).map((line) => ({
      menuItemId: line.menuItemId,
      name: line.name,
      unitPriceCents: line.unitPriceCents,
      quantity: line.quantity,
      note: line.note,
      station: line.station,
    })),
    totalCents: row.totalCents,
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
  };
}
