import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import type { LoggedEvent } from '../events/domain-event.js';
import { EventBus } from '../events/event-bus.js';
import { EventLog } from '../events/event-log.js';
import { MenuService, type OrderableItem, type StockChange } from '../menu/menu.service.js';
import { UsersService } from '../users/users.service.js';
import { businessDay } from './business-day.js';
import type { CreateOrderDto } from './dto/create-order.dto.js';
import { hashOrderRequest } from './idempotency.js';
import type { OrderLineView, OrderView } from './order-view.js';
import { OrdersRepository, type StoredIdempotencyKey } from './orders.repository.js';

/** The answer to a creation request: a new order, or the one an earlier request made. */
export interface OrderCreation {
  readonly order: OrderView;
  readonly replayed: boolean;
}

type Draft =
  | { ok: true; lines: OrderLineView[]; totalCents: number; stock: StockChange[] }
  | { ok: false; error: AppError };

/**
 * Places orders. Prices, names and totals come from the menu, never from the client; stock is
 * taken with conditional updates in the order's transaction; an `Idempotency-Key` makes a retried
 * request return the order its first attempt made instead of placing another.
 */
@Injectable()
export class OrderCreationService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly menu: MenuService,
    private readonly users: UsersService,
    private readonly events: EventBus,
    private readonly eventLog: EventLog,
  ) {}

  async create(auth: AuthContext, key: string, body: CreateOrderDto): Promise<OrderCreation> {
    const requestHash = hashOrderRequest(body);
    const at = new Date();
    const day = businessDay(at, this.config.venueTimezone);
    // The number is taken before and outside the order's transaction, so the counter never
    // serialises orders; neither statement is in a transaction, so they may run side by side.
    const [customer, number] = await Promise.all([
      this.users.findById(auth.userId),
      this.orders.nextNumber(this.dataSource.manager, day),
    ]);

    const outcome = await this.dataSource.transaction(
      async (
        manager,
      ): Promise<{ created: OrderView; events: LoggedEvent[] } | StoredIdempotencyKey> => {
        const items = await this.menu.findOrderable(
          body.items.map((line) => line.menuItemId),
          manager,
        );
        const draft = draftOrder(body, items);
        if (!draft.ok) {
          // A retry of an order that succeeded is answered even if the menu changed since.
          const stored = await this.orders.findKey(manager, auth.userId, key);
          if (stored) return stored;
          throw draft.error;
        }
        const order: OrderView = {
          id: randomUUID(),
          number,
          customer: { id: auth.userId, name: customer?.name ?? '' },
          status: 'pending',
          items: draft.lines,
          totalCents: draft.totalCents,
          tableNumber: body.tableNumber ?? null,
          note: body.note ?? null,
          assignee: null,
          version: 1,
          createdAt: at.toISOString(),
          updatedAt: at.toISOString(),
          history: [
            {
              status: 'pending',
              at: at.toISOString(),
              by: { id: auth.userId, name: customer?.name ?? '', role: auth.role },
            },
          ],
          cancelReason: null,
        };
        // The key first: a concurrent request with the same key waits here, before any stock.
        const stored = await this.orders.claimKey(manager, {
          userId: auth.userId,
          key,
          requestHash,
          response: order,
        });
        if (stored) return stored;
        await this.menu.takeStock(draft.stock, manager);
        await this.orders.insertOrder(manager, {
          id: order.id,
          number,
          businessDay: day,
          customerId: auth.userId,
          customerName: order.customer.name,
          totalCents: order.totalCents,
          tableNumber: order.tableNumber,
          note: order.note,
          at,
          lines: order.items,
        });
        // Last in the transaction: the event log's lock is held until commit.
        const events = [
          await this.eventLog.append(
            { type: 'order.created', order, customerId: auth.userId },
            manager,
          ),
        ];
        if (draft.stock.length > 0) {
          events.push(await this.eventLog.append({ type: 'menu.updated' }, manager));
        }
        return { created: order, events };
      },
    );

    if ('created' in outcome) {
      for (const event of outcome.events) await this.events.publish(event);
      return { order: outcome.created, replayed: false };
    }
    if (outcome.requestHash !== requestHash) {
      throw new AppError(
        ErrorCode.IDEMPOTENCY_MISMATCH,
        'This Idempotency-Key was already used for a different order; use a new key for a new order.',
      );
    }
    return { order: outcome.response, replayed: true };
  }
}

/**
 * Checks the lines against the menu and prices them. Unknown (or archived) items are a bad
 * request naming the line; an item taken off the menu is ITEM_UNAVAILABLE.
 */
export function draftOrder(body: CreateOrderDto, items: readonly OrderableItem[]): Draft {
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
  const unknown = body.items.flatMap((line, index) => {
    const item = byId.get(line.menuItemId.toLowerCase());
    return item === undefined || item.archived
      ? [{ field: `items.${index}.menuItemId`, errors: ['no such item on the menu'] }]
      : [];
  });
  if (unknown.length > 0) {
    return {
      ok: false,
      error: new AppError(ErrorCode.VALIDATION_FAILED, 'Some items are not on the menu.', unknown),
    };
  }
  const lines: OrderLineView[] = [];
  const quantities = new Map<string, number>();
  let totalCents = 0;
  for (const line of body.items) {
    const item = byId.get(line.menuItemId.toLowerCase());
    if (!item) continue;
    if (!item.available) {
      return {
        ok: false,
        error: new AppError(
          ErrorCode.ITEM_UNAVAILABLE,
          `${item.name} is not available right now.`,
          {
            menuItemId: item.id,
          },
        ),
      };
    }
    lines.push({
      menuItemId: item.id,
      name: item.name,
      unitPriceCents: item.priceCents,
      quantity: line.quantity,
      note: line.note ?? null,
    });
    totalCents += item.priceCents * line.quantity;
    if (item.stock !== null)
      quantities.set(item.id, (quantities.get(item.id) ?? 0) + line.quantity);
  }
  const stock = [...quantities].map(([menuItemId, quantity]) => ({ menuItemId, quantity }));
  return { ok: true, lines, totalCents, stock };
}
