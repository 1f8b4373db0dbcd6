import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { cursorKeyOf } from '../common/list-cursor.js';
import {
  type CursorPage,
  cutPage,
  pageWindow,
  totalWithCursorPage,
  totalWithPage,
} from '../common/pagination.js';
import { STAFF_ROLES } from '../users/role.js';
import {
  type OrderFilterQueryDto,
  type OrderQueryDto,
  orderCursorList,
} from './dto/order-query.dto.js';
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

  /**
   * Newest first (created or changed), ties broken by id, so paging is stable: by `page`, or
   * after `cursor` (a keyset read, the same cost at any depth). The customer's own-orders
   * condition holds whatever the cursor says: a cursor only says where to start.
   */
  async list(auth: AuthContext, query: OrderQueryDto): Promise<CursorPage<OrderView>> {
    const filter: OrderFilter = {
      ...(isStaff(auth) ? {} : { ownerId: auth.userId }),
      ...orderFilter(query),
    };
    const sort = query.sort ?? 'createdAt';
    const list = orderCursorList(sort);
    const before = query.cursor === undefined ? undefined : cursorKeyOf(query.cursor, list);
    const manager = this.dataSource.manager;
    const counted = await this.orders.count(manager, filter);
    const window = before === undefined ? pageWindow(query) : { skip: 0, take: query.limit };
    // One more than the page: whether it is there says whether the list goes on.
    const rows =
      counted.total === 0
        ? []
        : await this.orders.list(
            manager,
            filter,
            sort,
            { ...window, take: window.take + 1 },
            before,
          );
    const page = cutPage(rows, window.take, list, (row) => ({ at: row.cursorAt, tie: row.id }));
    const total =
      before === undefined
        ? totalWithPage(counted, window, page.rows.length)
        : totalWithCursorPage(counted, page.rows.length, page.nextCursor !== null);
    return { items: page.rows.map(toOrderView), ...total, nextCursor: page.nextCursor };
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
