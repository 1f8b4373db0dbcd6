import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import type { LoggedEvent } from '../events/domain-event.js';
import { EventOutbox } from '../events/event-outbox.js';
import type { OrderableItem, StockChange } from '../menu/menu.service.js';
import { businessDay } from './business-day.js';
import type { CreateOrderDto } from './dto/create-order.dto.js';
import { hashOrderRequest } from './idempotency.js';
import { chooseOptions, describeOptionProblem } from './order-options.js';
import { type OrderLineView, type OrderView, orderVat } from './order-view.js';
import { paymentFigures } from './payments/payment-figures.js';
import type { Role } from '../users/role.js';
import { UsersService } from '../users/users.service.js';
import {
  type ChosenOption,
  type OrderStart,
  OrdersRepository,
  type StockedItem,
  type StoredIdempotencyKey,
} from './orders.repository.js';

/** The answer to a creation request: a new order, or the one an earlier request made. */
export interface OrderCreation {
  readonly order: OrderView;
  readonly replayed: boolean;
}

type Draft =
  | {
      ok: true;
      lines: OrderLineView[];
      totalCents: number;
      /** Totals of the items that count stock, to take. */
      stock: StockChange[];
      /** The items that were unlimited, to check again when the order is placed. */
      unlimited: string[];
      /** The options chosen, to check again (still there, available) when the order is placed. */
      chosenOptions: ChosenOption[];
    }
  | { ok: false; error: AppError };

/** An order whose statement ran: its events go out once it has committed. */
interface Placed {
  readonly order: OrderView;
  readonly events: LoggedEvent[];
}

/** What one attempt at placing an order has worked out before it writes. */
interface PlacementRequest {
  readonly auth: AuthContext;
  readonly key: string;
  readonly requestHash: string;
  readonly at: Date;
  readonly day: string;
  readonly start: OrderStart;
  readonly draft: Extract<Draft, { ok: true }>;
  readonly body: CreateOrderDto;
}

/** How often an order is drafted again when the menu changed under it. */
const PLACEMENT_ATTEMPTS = 3;

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
    private readonly outbox: EventOutbox,
    private readonly users: UsersService,
  ) {}

  async create(auth: AuthContext, key: string, body: CreateOrderDto): Promise<OrderCreation> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(auth, key, body);
      if (outcome !== 'menu changed') return outcome;
      // An item read as unlimited got a stock count (or went) before the order was placed: the
      // order is drafted again from the menu as it is now.
      if (attempt === PLACEMENT_ATTEMPTS) {
        throw new AppError(ErrorCode.ITEM_UNAVAILABLE, 'The menu keeps changing; try again.');
      }
    }
  }

  private async attempt(
    auth: AuthContext,
    key: string,
    body: CreateOrderDto,
  ): Promise<OrderCreation | 'menu changed'> {
    const requestHash = hashOrderRequest(body);
    const at = new Date();
    const day = businessDay(at, this.config.venueTimezone);
    // Before and outside the transaction, in one statement: the number (so the day's counter
    // never serialises orders), the customer's name and the menu as it is now.
    const start = await this.orders.startOrder(this.dataSource.manager, {
      businessDay: day,
      customerId: auth.userId,
      menuItemIds: body.items.map((line) => line.menuItemId),
    });
    const draft = draftOrder(body, start.items);
    if (!draft.ok) {
      // A retry of an order that succeeded is answered even if the menu changed since.
      const stored = await this.orders.findKey(this.dataSource.manager, auth.userId, key);
      if (stored) return answerStored(stored, requestHash);
      throw draft.error;
    }
    const request: PlacementRequest = { auth, key, requestHash, at, day, start, draft, body };
    const outcome =
      auth.role === 'guest'
        ? await this.dataSource.transaction((manager) => this.placeAsGuest(manager, request))
        : await this.place(this.dataSource.manager, request, body.tableNumber ?? null, auth.role);
    if (outcome === 'menu changed' || !('events' in outcome)) return outcome;
    await this.outbox.publish(outcome.events);
    return { order: outcome.order, replayed: false };
  }

  /**
   * A guest's order, in a transaction that holds the guest's row lock from the count of their
   * unfinished orders to the commit of this one: a guest's orders are placed one at a time, so
   * however many arrive at once, no more than `GUEST_MAX_OPEN_ORDERS` are ever unfinished. The
   * order is for the guest's table, whatever the body says (another table is a bad request).
   */
  private async placeAsGuest(
    manager: EntityManager,
    request: PlacementRequest,
  ): Promise<Placed | OrderCreation | 'menu changed'> {
    const { auth, body, key, requestHash } = request;
    const user = await this.users.lockById(auth.userId, manager);
    if (!user?.active) throw new AppError(ErrorCode.SESSION_REVOKED);
    // Upgraded since this access token was issued: a customer now, who orders as one.
    if (user.role !== 'guest' || user.tableNumber === null) {
      return this.place(manager, request, body.tableNumber ?? null, user.role);
    }
    const tableNumber = user.tableNumber;
    if (body.tableNumber !== undefined && body.tableNumber !== tableNumber) {
      const message = `A guest orders for their own table (${String(tableNumber)}).`;
      throw new AppError(ErrorCode.VALIDATION_FAILED, message, [
        { field: 'tableNumber', errors: [message] },
      ]);
    }
    const unfinished = await this.orders.countUnfinished(manager, auth.userId);
    if (unfinished >= this.config.guestMaxOpenOrders) {
      // A retry of one of those orders is answered with it, not refused.
      const stored = await this.orders.findKey(manager, auth.userId, key);
      if (stored) return answerStored(stored, requestHash);
      const max = this.config.guestMaxOpenOrders;
      throw new AppError(
        ErrorCode.GUEST_LIMIT,
        `A guest may have ${String(max)} unfinished order${max === 1 ? '' : 's'} at once; wait for one to be served, or create an account.`,
        { max, unfinished },
      );
    }
    return this.place(manager, request, tableNumber, 'guest');
  }

  /** Writes the order (one statement) through `manager`; its events wait for the caller. */
  private async place(
    manager: EntityManager,
    request: PlacementRequest,
    tableNumber: number | null,
    role: Role,
  ): Promise<Placed | OrderCreation | 'menu changed'> {
    const { auth, key, requestHash, at, day, start, draft, body } = request;
    const customer = { id: auth.userId, name: start.customerName };
    const order: OrderView = {
      id: randomUUID(),
      number: start.number,
      customer,
      status: 'pending',
      items: draft.lines,
      totalCents: draft.totalCents,
      vat: orderVat(draft.lines),
      tableNumber,
      note: body.note ?? null,
      assignee: null,
      version: 1,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      history: [{ status: 'pending', at: at.toISOString(), by: { ...customer, role } }],
      cancelReason: null,
      ...paymentFigures({
        totalCents: draft.totalCents,
        status: 'pending',
        payments: [],
        refunds: [],
      }),
      payments: [],
      refunds: [],
    };

    const placement = await this.orders.placeOrder(
      manager,
      {
        id: order.id,
        number: order.number,
        businessDay: day,
        customerId: auth.userId,
        customerName: customer.name,
        customerRole: role,
        totalCents: order.totalCents,
        tableNumber: order.tableNumber,
        note: order.note,
        at,
        lines: order.items,
        stock: draft.stock,
        unlimited: draft.unlimited,
        chosenOptions: draft.chosenOptions,
        key,
        requestHash,
        response: order,
      },
      [
        { type: 'order.created', order, customerId: auth.userId },
        ...(draft.stock.length > 0 ? [{ type: 'menu.updated' } as const] : []),
      ],
    );
    if (placement.kind !== 'placed') {
      // Nothing was written. The key may belong to a creation that committed while this one
      // waited for it (and maybe took the last of the stock): then that creation answers.
      const stored = await this.orders.findKey(manager, auth.userId, key);
      if (stored) return answerStored(stored, requestHash);
      if (placement.kind === 'short') throw shortageError(placement.change, placement.item);
      if (placement.kind === 'changed') {
        const item = placement.item;
        if (!item || item.archived || !item.available) {
          throw shortageError({ menuItemId: placement.menuItemId, quantity: 0 }, item);
        }
        return 'menu changed';
      }
      if (placement.kind === 'option changed') {
        // Taken off (or removed) while the order was being placed.
        const { item, option } = placement;
        const group = item?.option_groups?.find((candidate) =>
          candidate.options.some((entry) => entry.id === option.optionId),
        );
        const problem = {
          menuItemId: option.menuItemId,
          ...(group ? { groupId: group.id, groupName: group.name } : {}),
          optionId: option.optionId,
          reason: group ? ('unavailable' as const) : ('unknown_option' as const),
        };
        throw new AppError(
          ErrorCode.OPTIONS_INVALID,
          describeOptionProblem(problem, item?.name ?? 'an item'),
          problem,
        );
      }
      throw new Error('An idempotency key conflicted but cannot be read');
    }
    return { order, events: placement.events };
  }
}

/** The answer to a key that an earlier request used: its order, if the request is the same. */
function answerStored(stored: StoredIdempotencyKey, requestHash: string): OrderCreation {
  if (stored.requestHash !== requestHash) {
    throw new AppError(
      ErrorCode.IDEMPOTENCY_MISMATCH,
      'This Idempotency-Key was already used for a different order; use a new key for a new order.',
    );
  }
  return { order: stored.response, replayed: true };
}

/** Why a stocked item's quantity could not be taken, from the item as found under its lock. */
function shortageError(change: StockChange, item: StockedItem | undefined): AppError {
  if (!item || item.archived || !item.available) {
    return new AppError(
      ErrorCode.ITEM_UNAVAILABLE,
      `${item?.name ?? 'An item'} is not available.`,
      {
        menuItemId: change.menuItemId,
      },
    );
  }
  return new AppError(ErrorCode.OUT_OF_STOCK, `Not enough ${item.name} left.`, {
    menuItemId: item.id,
    requested: change.quantity,
    available: item.stock,
  });
}

/**
 * Checks the lines against the menu and prices them (each unit with its options). Unknown (or
 * archived) items are a bad request naming the line; an item taken off the menu is
 * ITEM_UNAVAILABLE; options that do not fit the item's groups are OPTIONS_INVALID.
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
  const chosenOptions: ChosenOption[] = [];
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
    const choice = chooseOptions(item, line.options ?? []);
    if (!choice.ok) {
      return {
        ok: false,
        error: new AppError(
          ErrorCode.OPTIONS_INVALID,
          describeOptionProblem(choice.problem, item.name),
          choice.problem,
        ),
      };
    }
    const unitPriceCents = item.priceCents + choice.priceDeltaCents;
    lines.push({
      menuItemId: item.id,
      name: item.name,
      unitPriceCents,
      quantity: line.quantity,
      note: line.note ?? null,
      station: item.station,
      options: choice.options,
      vatRateBasisPoints: item.vatRateBasisPoints,
    });
    for (const option of choice.options)
      chosenOptions.push({ menuItemId: item.id, optionId: option.id });
    totalCents += unitPriceCents * line.quantity;
    if (item.stock !== null)
      quantities.set(item.id, (quantities.get(item.id) ?? 0) + line.quantity);
  }
  const stock = [...quantities].map(([menuItemId, quantity]) => ({ menuItemId, quantity }));
  const unlimited = [...new Set(lines.map((line) => line.menuItemId))].filter(
    (id) => !quantities.has(id),
  );
  return { ok: true, lines, totalCents, stock, unlimited, chosenOptions };
}
