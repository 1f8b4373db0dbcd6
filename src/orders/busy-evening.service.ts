import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AppName, AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { MenuService, type StockChange } from '../menu/menu.service.js';
import type { CreateOrderDto } from './dto/create-order.dto.js';
import { OrderCreationService } from './order-creation.service.js';
import type { OrderStatus } from './order-state-machine.js';
import { OrderStatusService } from './order-status.service.js';
import { OrdersRepository } from './orders.repository.js';

/** Who takes part in the demo evening: customers who order, and one bartender at work. */
export interface BusyEveningCast {
  readonly customers: readonly { readonly id: string }[];
  /** A bartender and a session of theirs, which the staff moves are audited under. */
  readonly bartender: { readonly id: string; readonly sessionId: string };
}

/** An evening at 9 pm: every lane of the bar board busy, some tickets old, the night's history. */
const EVENING: readonly {
  status: OrderStatus;
  count: number;
  /** Age of the youngest and the oldest such order, in minutes. */
  minutes: readonly [number, number];
}[] = [
  { status: 'pending', count: 8, minutes: [0.5, 11] },
  { status: 'accepted', count: 6, minutes: [2, 13] },
  { status: 'preparing', count: 7, minutes: [3, 15] },
  { status: 'ready', count: 5, minutes: [4, 18] },
  { status: 'completed', count: 10, minutes: [20, 110] },
  { status: 'cancelled', count: 3, minutes: [15, 90] },
];

/** The staff moves that take a new order to each status. */
const MOVES: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: [],
  accepted: ['accepted'],
  preparing: ['accepted', 'preparing'],
  ready: ['accepted', 'preparing', 'ready'],
  completed: ['accepted', 'preparing', 'ready', 'completed'],
  cancelled: ['cancelled'],
};

const LINE_NOTES = ['no ice', 'extra lime', 'two straws', 'in a jug, please', 'half measure'];
const ORDER_NOTES = [
  'Birthday at this table: one candle, please',
  'We are out in the garden, by the heater',
  'One of us is allergic to nuts',
];
const CANCEL_REASONS = ['Out of limes', 'Customer left', 'Ordered twice by mistake'];

const OPEN_STATUSES: readonly OrderStatus[] = ['pending', 'accepted', 'preparing', 'ready'];

/**
 * Demo data: a busy evening's orders in every state (`DEMO_BUSY_EVENING`, `npm run demo:reset --
 * --busy-evening`). Orders are placed and moved through the same services as real ones (stock,
 * numbers, history, audit, events), then their times are moved into the past so the board shows
 * tickets of every age. Never used in production.
 */
@Injectable()
export class BusyEveningService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly creation: OrderCreationService,
    private readonly status: OrderStatusService,
    private readonly menu: MenuService,
  ) {}

  /**
   * What open orders hold of each stocked item: the demo reset puts the seeded stock back less
   * this, so that cancelling them later cannot take stock past what was seeded.
   */
  stockHeld(manager: EntityManager): Promise<StockChange[]> {
    return this.orders.stockHeldByOpenOrders(manager);
  }

  /** Whether any order is waiting for or being worked on by the bar. */
  async hasOpenOrders(): Promise<boolean> {
    return (
      (await this.orders.count(this.dataSource.manager, { statuses: OPEN_STATUSES })).total > 0
    );
  }

  /** Places the evening's orders; returns how many. */
  async seed(cast: BusyEveningCast, now = new Date()): Promise<number> {
    if (cast.customers.length === 0) throw new Error('A busy evening needs customers');
    const random = seededRandom(2026);
    const pick = <T>(items: readonly T[]): T => {
      const item = items[Math.floor(random() * items.length)];
      if (item === undefined) throw new Error('Nothing to pick from');
      return item;
    };
    const bartender: AuthContext = {
      userId: cast.bartender.id,
      sessionId: cast.bartender.sessionId,
      role: 'bartender',
      app: 'bartender',
    };
    // Placed oldest first, so the day's order numbers rise with the time as they would have.
    const plan = EVENING.flatMap(({ status, count, minutes: [youngest, oldest] }) =>
      Array.from({ length: count }, (_, index) => ({
        status,
        minutes: youngest + ((oldest - youngest) * index) / Math.max(1, count - 1),
      })),
    ).sort((a, b) => b.minutes - a.minutes);
    // No two at the same moment: each at least 12 s after the one before.
    for (const [index, order] of plan.entries()) {
      const before = plan[index - 1];
      if (before) order.minutes = Math.max(0.1, Math.min(order.minutes, before.minutes - 0.2));
    }
    let placed = 0;
    for (const { status, minutes } of plan) {
      const customer = pick(cast.customers);
      const auth: AuthContext = {
        userId: customer.id,
        // Orders are placed without a session of the customer's: nothing reads it.
        sessionId: randomUUID(),
        role: 'customer',
        app: 'customer' satisfies AppName,
      };
      const order = await this.place(auth, random, pick);
      if (!order) continue;
      let version = order.version;
      for (const to of MOVES[status]) {
        const moved =
          to === 'cancelled'
            ? await this.status.cancel(bartender, order.id, pick(CANCEL_REASONS))
            : await this.status.changeStatus(bartender, order.id, { status: to, version });
        version = moved.version;
      }
      const placedAt = new Date(now.getTime() - minutes * 60_000);
      // The steps share the order's age: the last one lands a little before now.
      const stepSeconds = Math.min(150, (minutes * 60 * 0.8) / Math.max(1, MOVES[status].length));
      await this.orders.backdate(this.dataSource.manager, order.id, placedAt, stepSeconds);
      placed += 1;
    }
    return placed;
  }

  /** One order of one to three lines from what is on the menu; undefined when stock ran out. */
  private async place(
    auth: AuthContext,
    random: () => number,
    pick: <T>(items: readonly T[]) => T,
  ): Promise<{ id: string; version: number } | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const menu = (await this.menu.listMenu()).filter(
        (item) => item.available && (item.stock === null || item.stock >= 6),
      );
      if (menu.length === 0) return undefined;
      const lines = new Map<string, CreateOrderDto['items'][number]>();
      const count = 1 + Math.floor(random() * 3);
      for (let line = 0; line < count; line++) {
        const item = pick(menu);
        // Each group's fewest options, picked from those on offer (sometimes one more).
        const options = item.optionGroups.flatMap((group) => {
          const offered = group.options.filter((option) => option.available);
          const count = Math.min(offered.length, group.max, group.min + (random() < 0.3 ? 1 : 0));
          return [...offered]
            .sort(() => random() - 0.5)
            .slice(0, count)
            .map((option) => option.id);
        });
        lines.set(item.id, {
          menuItemId: item.id,
          quantity: 1 + Math.floor(random() * 2.4),
          ...(options.length > 0 ? { options } : {}),
          ...(random() < 0.2 ? { note: pick(LINE_NOTES) } : {}),
        });
      }
      const body: CreateOrderDto = {
        items: [...lines.values()],
        ...(random() < 0.75 ? { tableNumber: 1 + Math.floor(random() * 24) } : {}),
        ...(random() < 0.12 ? { note: pick(ORDER_NOTES) } : {}),
      };
      try {
        const { order } = await this.creation.create(auth, randomUUID(), body);
        return order;
      } catch (error) {
        const soldOut =
          error instanceof AppError &&
          (error.code === ErrorCode.OUT_OF_STOCK ||
            error.code === ErrorCode.ITEM_UNAVAILABLE ||
            error.code === ErrorCode.OPTIONS_INVALID);
        if (!soldOut) throw error;
      }
    }
    return undefined;
  }
}

/** A small deterministic generator (mulberry32), so every busy evening looks the same. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}
