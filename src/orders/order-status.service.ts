import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { LoggedEvent } from '../events/domain-event.js';
import { EventBus } from '../events/event-bus.js';
import { EventLog } from '../events/event-log.js';
import { MenuService } from '../menu/menu.service.js';
import { STAFF_ROLES } from '../users/role.js';
import { UsersService } from '../users/users.service.js';
import type { ChangeStatusDto } from './dto/change-status.dto.js';
import {
  type OrderActor,
  type OrderStatus,
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

type MoveOutcome = { moved: OrderView; events: LoggedEvent[] } | { lostRace: true };

/**
 * Moves orders through their life cycle: staff status changes with optimistic concurrency
 * (`UPDATE … WHERE id AND version`), and cancellations, which give the stock back. Staff moves
 * are audited in the same transaction.
 */
@Injectable()
export class OrderStatusService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly menu: MenuService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly events: EventBus,
    private readonly eventLog: EventLog,
  ) {}

  /** A staff move to `status`, based on the order as it was at `version`. */
  async changeStatus(auth: AuthContext, id: string, body: ChangeStatusDto): Promise<OrderView> {
    const outcome = await this.move(auth, id, {
      to: body.status,
      reason: body.reason,
      version: body.version,
    });
    if ('lostRace' in outcome) throw new Error('A versioned move cannot lose a race silently');
    return this.published(outcome);
  }

  /** Cancels an order: its customer while it is pending, staff (with a reason) until completed. */
  async cancel(auth: AuthContext, id: string, reason: string | undefined): Promise<OrderView> {
    for (let attempt = 1; attempt <= CANCEL_ATTEMPTS; attempt++) {
      const outcome = await this.move(auth, id, { to: 'cancelled', reason, version: undefined });
      if (!('lostRace' in outcome)) return this.published(outcome);
    }
    throw new AppError(ErrorCode.VERSION_CONFLICT, 'The order keeps changing; try again.');
  }

  private async move(auth: AuthContext, id: string, request: MoveRequest): Promise<MoveOutcome> {
    const actor: OrderActor = STAFF_ROLES.includes(auth.role) ? 'staff' : 'customer';
    const user = await this.users.findById(auth.userId);
    return this.dataSource.transaction(async (manager): Promise<MoveOutcome> => {
      const order = await this.orders.findById(manager, id);
      // Another customer's order does not exist as far as this caller can tell: 404, never 403.
      if (!order || (actor === 'customer' && order.customerId !== auth.userId)) {
        throw new AppError(ErrorCode.NOT_FOUND, 'No such order.');
      }
      if (request.version !== undefined && request.version !== order.version) {
        throw versionConflict(order);
      }
      const check = checkTransition(order.status, request.to, actor);
      if (!check.allowed) {
        throw new AppError(ErrorCode.INVALID_TRANSITION, check.reason, {
          from: order.status,
          to: request.to,
          allowed: allowedTargets(order.status, actor),
        });
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
        at: new Date(),
        by: { id: auth.userId, name: user?.name ?? '', role: auth.role },
        assign: order.status === 'pending' && request.to === 'accepted',
        cancelReason: request.to === 'cancelled' ? (request.reason ?? null) : null,
      });
      if (!moved) {
        if (request.version === undefined) return { lostRace: true };
        throw versionConflict(await this.current(manager, id));
      }
      const stockReturned =
        request.to === 'cancelled' &&
        (await this.menu.returnStock(
          (order.items ?? []).map((line) => ({
            menuItemId: line.menuItemId,
            quantity: line.quantity,
          })),
          manager,
        ));
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
      // Last in the transaction: the event log's lock is held until commit.
      const events = [
        await this.eventLog.append(
          { type: 'order.updated', order: view, customerId: view.customer.id },
          manager,
        ),
      ];
      if (stockReturned) events.push(await this.eventLog.append({ type: 'menu.updated' }, manager));
      return { moved: view, events };
    });
  }

  private async current(manager: EntityManager, id: string): Promise<OrderRow> {
    const row = await this.orders.findById(manager, id);
    if (!row) throw new AppError(ErrorCode.NOT_FOUND, 'No such order.');
    return row;
  }

  private async published(outcome: {
    moved: OrderView;
    events: LoggedEvent[];
  }): Promise<OrderView> {
    for (const event of outcome.events) await this.events.publish(event);
    return outcome.moved;
  }
}

function versionConflict(current: OrderRow): AppError {
  return new AppError(
    ErrorCode.VERSION_CONFLICT,
    'Someone else changed this order first; here is how it is now.',
    { current: toOrderView(current) },
  );
}
