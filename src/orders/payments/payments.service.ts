import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { AuthContext } from '../../auth/auth-context.js';
import { AppError } from '../../common/errors/app-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { EventOutbox } from '../../events/event-outbox.js';
import { UsersService } from '../../users/users.service.js';
import { type OrderView, toOrderView } from '../order-view.js';
import { OrdersRepository } from '../orders.repository.js';
import type { RecordPaymentDto, RecordRefundDto } from './dto/payment.dto.js';
import { answerStored, hashPaymentRequest } from './payment-keys.js';
import { type MoneyEntry, PaymentsRepository } from './payments.repository.js';

/** The answer to a payment request: the order after it, or what its first attempt answered. */
export interface Recorded<T> {
  readonly result: T;
  readonly replayed: boolean;
}

/** Who records a payment, as the entry keeps them. */
export type Cashier = MoneyEntry['by'];

/**
 * Payments and refunds of one order. Each is one transaction: the `Idempotency-Key` is claimed
 * first (a twin request waits for it, then replays), then the order's row is locked, so two
 * payments of one order are checked against the balance one after the other and can never pay
 * more than the total. Audited, and announced as `order.updated` once committed.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly orders: OrdersRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly outbox: EventOutbox,
  ) {}

  /** Who `auth` is, for the entries they record (read before the transaction). */
  async cashier(auth: AuthContext): Promise<Cashier> {
    const user = await this.users.findById(auth.userId);
    return { id: auth.userId, name: user?.name ?? '', role: auth.role };
  }

  async pay(
    auth: AuthContext,
    orderId: string,
    key: string,
    body: RecordPaymentDto,
  ): Promise<Recorded<OrderView>> {
    const requestHash = hashPaymentRequest({
      orderId,
      method: body.method,
      amountCents: body.amountCents,
      ...(body.tipCents === undefined ? {} : { tipCents: body.tipCents }),
    });
    const by = await this.cashier(auth);
    return this.outbox.transaction(async (tx): Promise<Recorded<OrderView>> => {
      const { manager } = tx;
      if (!(await this.payments.claimKey(manager, auth.userId, key, requestHash))) {
        return answerStored(await this.payments.findKey(manager, auth.userId, key), requestHash);
      }
      const before = await this.locked(manager, orderId);
      if (before.status === 'cancelled') {
        throw new AppError(ErrorCode.INVALID_TRANSITION, 'A cancelled order cannot be paid.', {
          status: before.status,
        });
      }
      if (body.amountCents > before.balanceCents) throw exceedsBalance(before.balanceCents);
      const entry: MoneyEntry = {
        id: randomUUID(),
        orderId,
        kind: 'payment',
        method: body.method,
        amountCents: body.amountCents,
        tipCents: body.tipCents ?? 0,
        reason: null,
        by,
        at: new Date(),
      };
      await this.payments.record(manager, [entry]);
      await this.auditPayment(manager, auth, before, entry, false);
      const order = await this.read(manager, orderId);
      await this.payments.storeResponse(manager, auth.userId, key, order);
      tx.emit({ type: 'order.updated', order, customerId: order.customer.id });
      return { result: order, replayed: false };
    });
  }

  /** Gives back up to what is paid (tips are not refunded here), by the method asked or last paid. */
  async refund(auth: AuthContext, orderId: string, body: RecordRefundDto): Promise<OrderView> {
    const by = await this.cashier(auth);
    return this.outbox.transaction(async (tx) => {
      const { manager } = tx;
      const before = await this.locked(manager, orderId);
      if (body.amountCents > before.paidCents) {
        throw new AppError(
          ErrorCode.PAYMENT_EXCEEDS_BALANCE,
          'That is more than was paid for this order.',
          { paidCents: before.paidCents },
        );
      }
      const entry: MoneyEntry = {
        id: randomUUID(),
        orderId,
        kind: 'refund',
        method: body.method ?? before.payments.at(-1)?.method ?? 'other',
        amountCents: body.amountCents,
        tipCents: 0,
        reason: body.reason,
        by,
        at: new Date(),
      };
      await this.payments.record(manager, [entry]);
      await this.audit.record(
        {
          type: 'refund_recorded',
          userId: auth.userId,
          sessionId: auth.sessionId,
          details: {
            orderId,
            number: before.number,
            method: entry.method,
            amountCents: entry.amountCents,
            reason: body.reason,
          },
        },
        manager,
      );
      const order = await this.read(manager, orderId);
      tx.emit({ type: 'order.updated', order, customerId: order.customer.id });
      return order;
    });
  }

  /** Audits one payment (of an order, or its share of a tab payment). */
  async auditPayment(
    manager: EntityManager,
    auth: AuthContext,
    order: OrderView,
    entry: MoneyEntry,
    tab: boolean,
  ): Promise<void> {
    await this.audit.record(
      {
        type: 'payment_recorded',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: {
          orderId: order.id,
          number: order.number,
          method: entry.method,
          amountCents: entry.amountCents,
          tipCents: entry.tipCents,
          ...(tab ? { tab: true } : {}),
        },
      },
      manager,
    );
  }

  /** The order, its row locked until the transaction ends; 404 when there is none. */
  private async locked(manager: EntityManager, orderId: string): Promise<OrderView> {
    if (!(await this.payments.lockOrder(manager, orderId))) {
      throw new AppError(ErrorCode.NOT_FOUND, 'No such order.');
    }
    return this.read(manager, orderId);
  }

  private async read(manager: EntityManager, orderId: string): Promise<OrderView> {
    const row = await this.orders.findById(manager, orderId);
    if (!row) throw new AppError(ErrorCode.NOT_FOUND, 'No such order.');
    return toOrderView(row);
  }
}

export function exceedsBalance(balanceCents: number): AppError {
  return new AppError(ErrorCode.PAYMENT_EXCEEDS_BALANCE, 'That is more than is left to pay.', {
    balanceCents,
  });
}
