import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthContext } from '../../auth/auth-context.js';
import { AppError } from '../../common/errors/app-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import { EventOutbox } from '../../events/event-outbox.js';
import { businessDay } from '../business-day.js';
import { type OrderView, toOrderView } from '../order-view.js';
import type { TabPaymentDto } from './dto/payment.dto.js';
import type { TabQueryDto } from './dto/tab-query.dto.js';
import { answerStored, hashPaymentRequest } from './payment-keys.js';
import { type MoneyEntry, PaymentsRepository, type TabOwner } from './payments.repository.js';
import { PaymentsService, type Recorded, exceedsBalance } from './payments.service.js';
import type { TabView } from './tab-view.js';

/**
 * Tabs: the orders of one table or one customer placed on the current business day (in
 * VENUE_TIMEZONE) that are not cancelled and have something left to pay, oldest first. A tab
 * payment pays them oldest first, each up to its balance, in one transaction that holds the
 * tab's order rows (locked in id order) from the check to the commit.
 */
@Injectable()
export class TabsService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly paymentsService: PaymentsService,
    private readonly outbox: EventOutbox,
  ) {}

  async tab(query: TabQueryDto): Promise<TabView> {
    const owner = this.owner(query);
    return tabOf(await this.openOrders(this.dataSource.manager, owner));
  }

  async pay(auth: AuthContext, key: string, body: TabPaymentDto): Promise<Recorded<TabView>> {
    const owner = this.owner(body);
    const requestHash = hashPaymentRequest(body);
    const by = await this.paymentsService.cashier(auth);
    return this.outbox.transaction(async (tx): Promise<Recorded<TabView>> => {
      const { manager } = tx;
      if (!(await this.payments.claimKey(manager, auth.userId, key, requestHash))) {
        return answerStored(await this.payments.findKey(manager, auth.userId, key), requestHash);
      }
      await this.payments.lockTab(manager, owner);
      const all = (await this.payments.tabOrders(manager, owner)).map(toOrderView);
      const chosen = selectOrders(all, body.orderIds);
      const balanceCents = chosen.reduce((sum, order) => sum + order.balanceCents, 0);
      if (body.amountCents > balanceCents) throw exceedsBalance(balanceCents);

      const at = new Date();
      const entries: MoneyEntry[] = [];
      let left = body.amountCents;
      for (const order of chosen) {
        if (left === 0) break;
        const amountCents = Math.min(left, order.balanceCents);
        if (amountCents === 0) continue;
        left -= amountCents;
        entries.push({
          id: randomUUID(),
          orderId: order.id,
          kind: 'payment',
          method: body.method,
          amountCents,
          // The tip goes with the first order paid.
          tipCents: entries.length === 0 ? (body.tipCents ?? 0) : 0,
          reason: null,
          by,
          at,
        });
      }
      await this.payments.record(manager, entries);
      const paid = new Map(chosen.map((order) => [order.id, order]));
      for (const entry of entries) {
        const order = paid.get(entry.orderId);
        if (order) await this.paymentsService.auditPayment(manager, auth, order, entry, true);
      }
      const after = (await this.payments.tabOrders(manager, owner)).map(toOrderView);
      for (const order of after) {
        if (entries.some((entry) => entry.orderId === order.id)) {
          tx.emit({ type: 'order.updated', order, customerId: order.customer.id });
        }
      }
      const tab = tabOf(after.filter((order) => order.balanceCents > 0));
      await this.payments.storeResponse(manager, auth.userId, key, tab);
      return { result: tab, replayed: false };
    });
  }

  private async openOrders(manager: EntityManager, owner: TabOwner): Promise<OrderView[]> {
    const orders = (await this.payments.tabOrders(manager, owner)).map(toOrderView);
    return orders.filter((order) => order.balanceCents > 0);
  }

  /** Today's tab of the table or the customer the request names: exactly one of them. */
  private owner(query: { tableNumber?: number; customerId?: string }): TabOwner {
    const day = businessDay(new Date(), this.config.venueTimezone);
    const { tableNumber, customerId } = query;
    if (tableNumber !== undefined && customerId === undefined) {
      return { businessDay: day, tableNumber };
    }
    if (customerId !== undefined && tableNumber === undefined) {
      return { businessDay: day, customerId };
    }
    const message = 'Give exactly one of tableNumber and customerId.';
    throw new AppError(ErrorCode.VALIDATION_FAILED, message, [
      { field: 'tableNumber', errors: [message] },
      { field: 'customerId', errors: [message] },
    ]);
  }
}

/**
 * The orders a tab payment pays, oldest first: those named (each must be one of the tab's
 * orders of the day that is not cancelled, else 400 on `orderIds`), or all with a balance.
 */
function selectOrders(
  all: readonly OrderView[],
  orderIds: readonly string[] | undefined,
): OrderView[] {
  if (orderIds === undefined) return all.filter((order) => order.balanceCents > 0);
  const known = new Set(all.map((order) => order.id));
  const strangers = orderIds.filter((id) => !known.has(id));
  if (strangers.length > 0) {
    const message = `Not an order of this tab: ${strangers.join(', ')}`;
    throw new AppError(ErrorCode.VALIDATION_FAILED, message, [
      { field: 'orderIds', errors: [message] },
    ]);
  }
  const wanted = new Set(orderIds);
  return all.filter((order) => wanted.has(order.id));
}

function tabOf(orders: OrderView[]): TabView {
  const sum = (pick: (order: OrderView) => number): number =>
    orders.reduce((total, order) => total + pick(order), 0);
  return {
    orders,
    totalCents: sum((order) => order.totalCents),
    paidCents: sum((order) => order.paidCents),
    balanceCents: sum((order) => order.balanceCents),
  };
}
