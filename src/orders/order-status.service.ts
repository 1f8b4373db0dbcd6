import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { EventOutbox } from '../events/event-outbox.js';
import { MenuService } from '../menu/menu.service.js';
import { STAFF_ROLES } from '../users/role.js';
import { UsersService } from '../users/users.service.js';
import type { ChangeStatusDto } from './dto/change-status.dto.js';
import {
  type OrderActor,
  type OrderStatus,
  type RecallWindow,
  allowedTargets,
  checkTransition,
} from './order-state-machine.js';
import { type OrderRow, type OrderView, toOrderView } from './order-view.js';
import { OrdersRepository } from './orders.repository.js';

/** A cancel without a version retries this often when a concurrent move gets in first. */
const CANCEL_ATTEMPTS = 3;

interface MoveRequest {
  readonly to: OrderStatus;
  readonly reason: string | undefined;
  /** The version the caller saw; undefined means "whatever it is now" (cancel). */
  readonly version: number | undefined;
}

type MoveOutcome = { moved: OrderView } | { lostRace: true };

/**
 * Moves orders through their life cycle: staff status changes with optimistic concurrency
 * (`UPDATE … WHERE id AND version`), and cancellations, which give the stock back. Staff moves
 * are audited in the same transaction.
 */
@Injectable()
export class OrderStatusService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly orders: OrdersRepository,
    private readonly menu: MenuService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly outbox: EventOutbox,
  ) {}

  /** A staff move to `status`, based on the order as it was at `version`. */
  async changeStatus(auth: AuthContext, id: string, body: ChangeStatusDto): Promise<OrderView> {
    const outcome = await this.move(auth, id, {
      to: body.status,
      reason: body.reason,
      version: body.version,
    });
    if ('lostRace' in outcome) throw new Error('A versioned move cannot lose a race silently');
    return outcome.moved;
  }

  /** Cancels an order: its customer while it is pending, staff (with a reason) until completed. */
  async cancel(auth: AuthContext, id: string, reason: string | undefined): Promise<OrderView> {
    for (let attempt = 1; attempt <= CANCEL_ATTEMPTS; attempt++) {
      const outcome = await this.move(auth, id, { to: 'cancelled', reason, version: undefined });
      if (!('lostRace' in outcome)) return outcome.moved;
    }
    throw new AppError(ErrorCode.VERSION_CONFLICT, 'The order keeps changing; try again.');
  }

  private async move(auth: AuthContext, id: string, request: MoveRequest): Promise<MoveOutcome> {
    const actor: OrderActor = STAFF_ROLES.includes(auth.role) ? 'staff' : 'customer';
    const user = await this.users.findById(auth.userId);
    return this.outbox.transaction(async (tx): Promise<MoveOutcome> => {
      const { manager } = tx;
      const order = await this.orders.findById(manager, id);
      // Another customer's order does not exist as far as this caller can tell: 404, never 403.
      if (!order || (actor === 'customer' && order.customerId !== auth.userId)) {
        throw new AppError(ErrorCode.NOT_FOUND, 'No such order.');
      }
      if (request.version !== undefined && request.version !== order.version) {
        throw versionConflict(order);
      }
      const at = new Date();
      const recallWindow = this.recallWindow(order, at);
      const check = checkTransition(order.status, request.to, actor, recallWindow);
      if (!check.allowed) {
        throw new AppError(ErrorCode.INVALID_TRANSITION, check.reason, {
          from: order.status,
          to: request.to,
          allowed: allowedTargets(order.status, actor, recallWindow),
        });
      }
      // Money on an order stays accounted for: an admin refunds it before the order can go.
      // (A payment moves the version on, so one that lands after this read makes the move
      // below lose its race and look again.)
      const { paidCents } = toOrderView(order);
      if (request.to === 'cancelled' && paidCents > 0) {
        throw new AppError(
          ErrorCode.INVALID_TRANSITION,
          'This order has been paid: an admin refunds it before it can be cancelled.',
          {
            from: order.status,
            to: request.to,
            allowed: allowedTargets(order.status, actor, recallWindow).filter(
              (target) => target !== 'cancelled',
            ),
            paidCents,
          },
        );
      }
      if (check.needsReason && request.reason === undefined) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, 'Staff give a reason to cancel.', [
          { field: 'reason', errors: ['reason is required when staff cancel an order'] },
        ]);
      }
      const moved = await this.orders.applyMove(manager, {
        orderId: id,
        expectedVersion: order.version,
        status: request.to,
        at,
        by: { id: auth.userId, name: user?.name ?? '', role: auth.role },
        assign: order.status === 'pending' && request.to === 'accepted',
        cancelReason: request.to === 'cancelled' ? (request.reason ?? null) : null,
      });
      if (!moved) {
        if (request.version === undefined) return { lostRace: true };
        throw versionConflict(await this.current(manager, id));
      }
      // Exactly what the order's lines took: an item that was unlimited then gets nothing back.
      const stockReturned =
        request.to === 'cancelled' &&
        (await this.menu.returnStock(await this.orders.stockTaken(manager, id), manager));
      if (actor === 'staff') {
        await this.audit.record(
          {
            type: request.to === 'cancelled' ? 'order_cancelled' : 'order_status_changed',
            userId: auth.userId,
            sessionId: auth.sessionId,
            details: {
              orderId: id,
              number: order.number,
              from: order.status,
              to: request.to,
              ...(request.reason === undefined ? {} : { reason: request.reason }),
            },
          },
          manager,
        );
      }
      const view = toOrderView(await this.current(manager, id));
      tx.emit({ type: 'order.updated', order: view, customerId: view.customer.id });
      if (stockReturned) tx.emit({ type: 'menu.updated' });
      return { moved: view };
    });
  }

  /** When `order` was completed (its last move into `completed`), against RECALL_WINDOW. */
  private recallWindow(order: OrderRow, now: Date): RecallWindow {
    const completion =
      order.status === 'completed'
        ? (order.history ?? []).findLast((entry) => entry.status === 'completed')
        : undefined;
    return {
      completedAt: completion === undefined ? null : new Date(completion.at),
      windowSeconds: this.config.recallWindowSeconds,
      now,
    };
  }

  private async current(manager: EntityManager, id: string): Promise<OrderRow> {
    const row = await this.orders.findById(manager, id);
    if (!row) throw new AppError(ErrorCode.NOT_FOUND, 'No such order.');
    return row;
  }
}

function versionConflict(current: OrderRow): AppError {
  return new AppError(
    ErrorCode.VERSION_CONFLICT,
    'Someone else changed this order first; here is how it is now.',
    { current: toOrderView(current) },
  );
}
