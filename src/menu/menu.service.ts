import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { changeRows, selectRows } from '../database/sql-rows.js';
import { EventBus } from '../events/event-bus.js';
import { EventLog } from '../events/event-log.js';
import { DEMO_MENU } from './demo-menu.js';
import type { CreateMenuItemDto, UpdateMenuItemDto } from './dto/menu-item.dto.js';
import { MenuItemEntity } from './entities/menu-item.entity.js';
import { type MenuItemView, toMenuItemView } from './menu-item-view.js';

/** What an order needs to know about an item it names. */
export interface OrderableItem {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
  readonly available: boolean;
  readonly stock: number | null;
  readonly archived: boolean;
}

/** A quantity of one menu item taken from or returned to stock. */
export interface StockChange {
  readonly menuItemId: string;
  readonly quantity: number;
}

const NOT_NULLABLE = [
  'name',
  'description',
  'category',
  'priceCents',
  'available',
  'allergens',
  'sortOrder',
] as const;

/**
 * Owns the menu: items, availability and stock. Stock only ever changes through conditional SQL
 * (`stock >= n`, `stock + delta >= 0`), never by writing back a value read earlier, so concurrent
 * orders and restocks cannot overwrite each other or oversell.
 */
@Injectable()
export class MenuService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MenuItemEntity) private readonly items: Repository<MenuItemEntity>,
    private readonly events: EventBus,
    private readonly eventLog: EventLog,
  ) {}

  /** The public menu: every item that is not archived, by category and position. */
  async listMenu(): Promise<MenuItemView[]> {
    const items = await this.items.find({
      where: { archived: false },
      order: { category: 'ASC', sortOrder: 'ASC', name: 'ASC', id: 'ASC' },
    });
    return items.map(toMenuItemView);
  }

  /** Every item, archived ones included, for the admin console. */
  async listAll(): Promise<MenuItemView[]> {
    const items = await this.items.find({
      order: { archived: 'ASC', category: 'ASC', sortOrder: 'ASC', name: 'ASC', id: 'ASC' },
    });
    return items.map(toMenuItemView);
  }

  async create(input: CreateMenuItemDto, manager?: EntityManager): Promise<MenuItemView> {
    const repository = manager ? manager.getRepository(MenuItemEntity) : this.items;
    const item = await repository.save(
      repository.create({
        id: randomUUID(),
        name: input.name,
        description: input.description ?? '',
        category: input.category,
        priceCents: input.priceCents,
        available: input.available ?? true,
        stock: input.stock ?? null,
        allergens: input.allergens ?? [],
        archived: false,
        sortOrder: input.sortOrder ?? 0,
      }),
    );
    await this.menuChanged(manager);
    return toMenuItemView(item);
  }

  /**
   * Changes any fields of an item that is not archived; `stockDelta` is added to the stock as it
   * is at that moment, so units sold meanwhile are never put back by a restock.
   */
  async update(id: string, input: UpdateMenuItemDto): Promise<MenuItemView> {
    const { stockDelta, ...fields } = input;
    const nulls = Object.entries(fields)
      .filter(
        ([field, value]) => value === null && (NOT_NULLABLE as readonly string[]).includes(field),
      )
      .map(([field]) => field);
    if (nulls.length > 0) {
      throw new AppError(
        ErrorCode.VALIDATION_FAILED,
        `${nulls.join(', ')} must not be null`,
        nulls.map((field) => ({ field, errors: [`${field} must not be null`] })),
      );
    }
    if (stockDelta !== undefined && fields.stock !== undefined) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'Send either stock or stockDelta, not both', [
        { field: 'stockDelta', errors: ['stockDelta cannot be combined with stock'] },
      ]);
    }
    const { view, event } = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(MenuItemEntity);
      const item = await repository.findOneBy({ id, archived: false });
      if (!item) throw new AppError(ErrorCode.NOT_FOUND, 'No such menu item.');
      const changes = Object.fromEntries(
        Object.entries(fields as Record<string, unknown>).filter(
          ([, value]) => value !== undefined,
        ),
      ) as Partial<MenuItemEntity>;
      if (Object.keys(changes).length > 0) await repository.update({ id }, changes);
      if (stockDelta !== undefined) await this.addStock(id, stockDelta, manager);
      const updated = toMenuItemView(await repository.findOneByOrFail({ id }));
      return {
        view: updated,
        event: await this.eventLog.append({ type: 'menu.updated' }, manager),
      };
    });
    await this.events.publish(event);
    return view;
  }

  /** Takes an item off the menu ("86") or puts it back. */
  async setAvailability(id: string, available: boolean): Promise<MenuItemView> {
    const { count } = await changeRows(
      this.dataSource.manager,
      `UPDATE menu_items SET available = $2, updated_at = now() WHERE id = $1 AND NOT archived`,
      [id, available],
    );
    if (count === 0) throw new AppError(ErrorCode.NOT_FOUND, 'No such menu item.');
    await this.menuChanged();
    return toMenuItemView(await this.items.findOneByOrFail({ id }));
  }

  /** Archives an item: it leaves the menu, past orders keep their lines. Idempotent. */
  async archive(id: string): Promise<void> {
    const { count } = await changeRows(
      this.dataSource.manager,
      `UPDATE menu_items SET archived = true, updated_at = now() WHERE id = $1`,
      [id],
    );
    if (count === 0) throw new AppError(ErrorCode.NOT_FOUND, 'No such menu item.');
    await this.menuChanged();
  }

  /** The named items as an order sees them, archived ones included (the caller refuses them). */
  findOrderable(ids: readonly string[], manager: EntityManager): Promise<OrderableItem[]> {
    return selectRows<OrderableItem>(
      manager,
      `SELECT id, name, price_cents AS "priceCents", available, stock, archived
         FROM menu_items WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /**
   * Takes the quantities from stock inside the caller's transaction, one conditional update per
   * item in id order (so two orders never wait on each other in a cycle). Throws OUT_OF_STOCK or
   * ITEM_UNAVAILABLE, and the caller's transaction rolls back whatever was taken before.
   */
  async takeStock(changes: readonly StockChange[], manager: EntityManager): Promise<void> {
    for (const change of sortedById(changes)) {
      const { count } = await changeRows(
        manager,
        `UPDATE menu_items SET stock = stock - $2, updated_at = now()
          WHERE id = $1 AND stock IS NOT NULL AND stock >= $2 AND available AND NOT archived`,
        [change.menuItemId, change.quantity],
      );
      if (count === 0) await this.explainShortage(change, manager);
    }
  }

  /** Returns quantities to stock (a cancelled order); items with unlimited stock stay so. */
  async returnStock(changes: readonly StockChange[], manager: EntityManager): Promise<boolean> {
    let returned = false;
    for (const change of sortedById(changes)) {
      const { count } = await changeRows(
        manager,
        `UPDATE menu_items SET stock = stock + $2, updated_at = now()
          WHERE id = $1 AND stock IS NOT NULL`,
        [change.menuItemId, change.quantity],
      );
      returned ||= count > 0;
    }
    return returned;
  }

  /**
   * Tells subscribers (the live menus of every app) that the menu or its stock changed, for
   * changes made outside a transaction: logged on its own, then published. With `manager` (the
   * demo seed, which holds the embedded database's only connection) it is logged on that
   * connection and not published: the bus delivers logged events by reading the log, which needs
   * a connection of its own, so its periodic read delivers this one once the connection is free.
   */
  async menuChanged(manager?: EntityManager): Promise<void> {
    if (!manager) {
      await this.eventLog.record({ type: 'menu.updated' });
      return;
    }
    await manager.transaction((transaction) =>
      this.eventLog.append({ type: 'menu.updated' }, transaction),
    );
  }

  /** Seeds the demo menu; an item whose name exists (even archived) is left alone. */
  async ensureDemoMenu(manager: EntityManager): Promise<number> {
    let created = 0;
    for (const item of DEMO_MENU) {
      const exists = await manager.getRepository(MenuItemEntity).existsBy({ name: item.name });
      if (exists) continue;
      await this.create(item, manager);
      created += 1;
    }
    return created;
  }

  private async addStock(id: string, delta: number, manager: EntityManager): Promise<void> {
    const { count } = await changeRows(
      manager,
      `UPDATE menu_items SET stock = stock + $2, updated_at = now()
        WHERE id = $1 AND stock IS NOT NULL AND stock + $2 >= 0`,
      [id, delta],
    );
    if (count > 0) return;
    const [current] = await selectRows<{ stock: number | null }>(
      manager,
      `SELECT stock FROM menu_items WHERE id = $1`,
      [id],
    );
    const reason =
      current?.stock === null || current === undefined
        ? 'the item has unlimited stock: set stock to a number first'
        : `the stock is ${current.stock}; it cannot go below 0`;
    throw new AppError(ErrorCode.VALIDATION_FAILED, `stockDelta: ${reason}`, [
      { field: 'stockDelta', errors: [reason] },
    ]);
  }

  private async explainShortage(change: StockChange, manager: EntityManager): Promise<void> {
    const [item] = await selectRows<OrderableItem>(
      manager,
      `SELECT id, name, available, stock, archived FROM menu_items WHERE id = $1`,
      [change.menuItemId],
    );
    if (!item || item.archived || !item.available) {
      throw new AppError(
        ErrorCode.ITEM_UNAVAILABLE,
        `${item?.name ?? 'An item'} is not available.`,
        {
          menuItemId: change.menuItemId,
        },
      );
    }
    // Switched to unlimited stock since the order read it: nothing to take.
    if (item.stock === null) return;
    throw new AppError(ErrorCode.OUT_OF_STOCK, `Not enough ${item.name} left.`, {
      menuItemId: item.id,
      requested: change.quantity,
      available: item.stock,
    });
  }
}

function sortedById(changes: readonly StockChange[]): StockChange[] {
  return [...changes].sort((a, b) =>
    a.menuItemId < b.menuItemId ? -1 : a.menuItemId > b.menuItemId ? 1 : 0,
  );
}
