import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { type Page, pageWindow, totalWithPage } from '../common/pagination.js';
import { STAFF_ROLES } from '../users/role.js';
import type { OrderFilterQueryDto, OrderQueryDto } from './dto/order-query.dto.js';
import { type OrderView, toOrderView } from './order-view.js';
import { type OrderFilter, OrdersRepository } from './orders.repository.js';

/** Reads orders: customers see only their own, staff see all. */
@Injectable()
export class OrderQueriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
  ) {}

  /** One order; another customer's order is 404, so its existence never leaks. */
  async get(auth: AuthContext, id: string): Promise<OrderView> {
    const row = await this.orders.findById(this.dataSource.manager, id);
    if (!row || (!isStaff(auth) && row.customerId !== auth.userId)) {
      throw new AppError(ErrorCode.NOT_FOUND, 'No such order.');
    }
    return toOrderView(row);
  }

  /** Newest first (created or changed), ties broken by id, so paging is stable. */
  async list(auth: AuthContext, query: OrderQueryDto): Promise<Page<OrderView>> {
    const filter: OrderFilter = {
      ...(isStaff(auth) ? {} : { ownerId: auth.userId }),
      ...orderFilter(query),
    };
    const manager = this.dataSource.manager;
    const counted = await this.orders.count(manager, filter);
    const window = pageWindow(query);
    const rows =
      counted.total === 0
        ? []
        : await this.orders.list(manager, filter, query.sort ?? 'createdAt', window);
    return { items: rows.map(toOrderView), ...totalWithPage(counted, window, rows.length) };
  }
}

/** The filters a query asks for, as the repository takes them (nothing about who asks). */
export function orderFilter(query: OrderFilterQueryDto): OrderFilter {
  return {
    // Deduplicated: `status=completed&status=completed` is one filter, and is counted as one.
    ...(query.status ? { statuses: [...new Set(query.status)] } : {}),
    ...(query.from ? { from: new Date(query.from) } : {}),
    ...(query.to ? { to: new Date(query.to) } : {}),
    ...(query.updatedFrom ? { updatedFrom: new Date(query.updatedFrom) } : {}),
    ...(query.tableNumber !== undefined ? { tableNumber: query.tableNumber } : {}),
    ...(query.customerId !== undefined ? { customerId: query.customerId } : {}),
  };
}

function isStaff(auth: AuthContext): boolean {
  return STAFF_ROLES.includes(auth.role);
}
