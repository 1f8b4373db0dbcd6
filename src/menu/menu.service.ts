import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuditEventType } from '../audit/audit-event-type.js';
import type { Actor } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { changeRows, selectRows } from '../database/sql-rows.js';
import { EventOutbox, type EventTransaction } from '../events/event-outbox.js';
import { DEMO_MENU } from './demo-menu.js';
import {
  type CreateMenuItemDto,
  MAX_STOCK,
  type OptionGroupInputDto,
  type UpdateMenuItemDto,
} from './dto/menu-item.dto.js';
import { MenuItemEntity } from './entities/menu-item.entity.js';
import { type MenuItemView, toMenuItemView } from './menu-item-view.js';
import { cheapestUnitPriceCents, type MenuOptionGroup } from './option-groups.js';

/** What an order needs to know about an item it names. */
export interface OrderableItem {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
  readonly available: boolean;
  readonly stock: number | null;
  readonly archived: boolean;
  readonly station: string;
  readonly optionGroups: readonly MenuOptionGroup[];
  readonly vatRateBasisPoints: number;
}

/** A quantity of one menu item taken from or returned to stock. */
export interface StockChange {
  readonly menuItemId: string;
  readonly quantity: number;
}

type MenuAuditType = Extract<
  AuditEventType,
  | 'menu_item_created'
  | 'menu_item_updated'
  | 'menu_item_archived'
  | 'menu_availability_changed'
  | 'stock_changed'
>;

/** The fields a `menu_item_updated` entry compares (stock and availability have entries of their own). */
const AUDITED_FIELDS = [
  'name',
  'description',
  'category',
  'priceCents',
  'allergens',
  'station',
  'sortOrder',
  'vatRateBasisPoints',
  'optionGroups',
] as const satisfies readonly (keyof MenuItemEntity)[];

function pick(
  item: MenuItemEntity,
  fields: readonly (keyof MenuItemEntity)[],
): Record<string, unknown> {
  return Object.fromEntries(
    fields.map((field) => [
      field,
      field === 'optionGroups' ? auditedGroups(item.optionGroups) : item[field],
    ]),
  );
}

/**
 * Option groups as the audit log keeps them: shallow enough for its depth limit, each option as
 * `Name (+1.50)`.
 */
function auditedGroups(groups: readonly MenuOptionGroup[]): unknown[] {
  return groups.map((group) => ({
    id: group.id,
    name: group.name,
    min: group.min,
    max: group.max,
    options: group.options.map((option) =>
      option.priceDeltaCents === 0
        ? option.name
        : `${option.name} (${option.priceDeltaCents > 0 ? '+' : '−'}${(Math.abs(option.priceDeltaCents) / 100).toFixed(2)})`,
    ),
  }));
}

const NOT_NULLABLE = [
  'name',
  'description',
  'category',
  'priceCents',
  'available',
  'allergens',
  'station',
  'sortOrder',
  'vatRateBasisPoints',
  'optionGroups',
] as const;

/**
 * Owns the menu: items, availability and stock. Stock only ever changes through conditional SQL
 * (`stock >= n`, `stock + delta >= 0`), never by writing back a value read earlier, so concurrent
 * orders and restocks cannot overwrite each other or oversell.
 */
@Injectable()
export class MenuService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(MenuItemEntity) private readonly items: Repository<MenuItemEntity>,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditService,
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

  /** Adds an item to the menu (audited `menu_item_created`). */
  create(input: CreateMenuItemDto, actor: Actor): Promise<MenuItemView> {
    this.checkStation(input.station);
    const station = input.station ?? this.config.stations[0];
    const optionGroups = buildOptionGroups(input.optionGroups ?? [], []);
    checkPriceFloor(input.priceCents, optionGroups);
    return this.outbox.transaction((tx) => this.createIn(tx, input, optionGroups, station, actor));
  }

  /**
   * Changes any fields of an item that is not archived; `stockDelta` is added to the stock as it
   * is at that moment, so units sold meanwhile are never put back by a restock. Audited with
   * before and after: `stock_changed`, `menu_availability_changed` and `menu_item_updated` (the
   * other fields), each only when something changed.
   */
  async update(id: string, input: UpdateMenuItemDto, actor: Actor): Promise<MenuItemView> {
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
    this.checkStation(fields.station);
    if (stockDelta !== undefined && fields.stock !== undefined) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'Send either stock or stockDelta, not both', [
        { field: 'stockDelta', errors: ['stockDelta cannot be combined with stock'] },
      ]);
    }
    return this.outbox.transaction(async (tx) => {
      const repository = tx.manager.getRepository(MenuItemEntity);
      const before = await this.lockItem(tx.manager, id);
      if (!before || before.archived) throw new AppError(ErrorCode.NOT_FOUND, 'No such menu item.');
      const { optionGroups: groupInput, ...plain } = fields;
      const changes = Object.fromEntries(
        Object.entries(plain as Record<string, unknown>).filter(([, value]) => value !== undefined),
      ) as Partial<MenuItemEntity>;
      // Given, the groups replace the item's: ids given keep theirs, the rest are new.
      const optionGroups =
        groupInput === undefined
          ? before.optionGroups
          : buildOptionGroups(groupInput, before.optionGroups);
      if (groupInput !== undefined) changes.optionGroups = optionGroups;
      if (groupInput !== undefined || changes.priceCents !== undefined) {
        checkPriceFloor(changes.priceCents ?? before.priceCents, optionGroups);
      }
      if (Object.keys(changes).length > 0) await repository.update({ id }, changes);
      if (stockDelta !== undefined) await this.addStock(id, stockDelta, tx.manager);
      const after = await repository.findOneByOrFail({ id });
      const changed = await this.auditChanges(tx, actor, before, after, stockDelta);
      if (changed) tx.emit({ type: 'menu.updated' });
      return toMenuItemView(after);
    });
  }

  /** Takes an item off the menu ("86") or puts it back (audited when it changes anything). */
  setAvailability(id: string, available: boolean, actor: Actor): Promise<MenuItemView> {
    return this.outbox.transaction(async (tx) => {
      const before = await this.lockItem(tx.manager, id);
      if (!before || before.archived) throw new AppError(ErrorCode.NOT_FOUND, 'No such menu item.');
      if (before.available === available) return toMenuItemView(before);
      const repository = tx.manager.getRepository(MenuItemEntity);
      await repository.update({ id }, { available });
      const after = await repository.findOneByOrFail({ id });
      await this.auditChanges(tx, actor, before, after, undefined);
      tx.emit({ type: 'menu.updated' });
      return toMenuItemView(after);
    });
  }

  /**
   * Takes one option of an item off ("86") or puts it back, from the bar (audited
   * `menu_availability_changed` naming the option, when it changes anything).
   */
  setOptionAvailability(
    id: string,
    optionId: string,
    available: boolean,
    actor: Actor,
  ): Promise<MenuItemView> {
    return this.outbox.transaction(async (tx) => {
      const before = await this.lockItem(tx.manager, id);
      if (!before || before.archived) throw new AppError(ErrorCode.NOT_FOUND, 'No such menu item.');
      const group = before.optionGroups.find((candidate) =>
        candidate.options.some((option) => option.id === optionId),
      );
      const option = group?.options.find((candidate) => candidate.id === optionId);
      if (!group || !option) throw new AppError(ErrorCode.NOT_FOUND, 'No such option.');
      if (option.available === available) return toMenuItemView(before);
      const optionGroups = before.optionGroups.map((candidate) => ({
        ...candidate,
        options: candidate.options.map((entry) =>
          entry.id === optionId ? { ...entry, available } : entry,
        ),
      }));
      const repository = tx.manager.getRepository(MenuItemEntity);
      await repository.update({ id }, { optionGroups });
      const after = await repository.findOneByOrFail({ id });
      await this.record(tx, actor, 'menu_availability_changed', after, {
        optionId,
        option: option.name,
        group: group.name,
        from: option.available,
        to: available,
      });
      tx.emit({ type: 'menu.updated' });
      return toMenuItemView(after);
    });
  }

  /** Archives an item: it leaves the menu, past orders keep their lines. Idempotent. */
  async archive(id: string, actor: Actor): Promise<void> {
    await this.outbox.transaction(async (tx) => {
      const item = await this.lockItem(tx.manager, id);
      if (!item) throw new AppError(ErrorCode.NOT_FOUND, 'No such menu item.');
      if (item.archived) return;
      await tx.manager.getRepository(MenuItemEntity).update({ id }, { archived: true });
      await this.record(tx, actor, 'menu_item_archived', item, {});
      tx.emit({ type: 'menu.updated' });
    });
  }

  /**
   * Brings an archived item back onto the menu as it was (the undo of an archive); audited as an
   * edit of `archived`. An item on the menu already is returned unchanged.
   */
  async restore(id: string, actor: Actor): Promise<MenuItemView> {
    return this.outbox.transaction(async (tx) => {
      const repository = tx.manager.getRepository(MenuItemEntity);
      const item = await this.lockItem(tx.manager, id);
      if (!item) throw new AppError(ErrorCode.NOT_FOUND, 'No such menu item.');
      if (!item.archived) return toMenuItemView(item);
      await repository.update({ id }, { archived: false });
      await this.record(tx, actor, 'menu_item_updated', item, {
        fields: ['archived'],
        before: { archived: true },
        after: { archived: false },
      });
      tx.emit({ type: 'menu.updated' });
      return toMenuItemView(await repository.findOneByOrFail({ id }));
    });
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
   * Seeds the demo menu in the caller's unit of work; an item whose name exists (even archived)
   * is left alone. Not audited: no one made these changes.
   */
  async ensureDemoMenu(tx: EventTransaction): Promise<number> {
    let created = 0;
    for (const item of DEMO_MENU) {
      const exists = await tx.manager.getRepository(MenuItemEntity).existsBy({ name: item.name });
      if (exists) continue;
      await this.createIn(tx, item, demoGroups(item), this.demoStation(item.station), undefined);
      created += 1;
    }
    return created;
  }

  /**
   * Puts the demo menu back as it was seeded (`npm run demo:reset`): each demo item, found by
   * name (archived too), gets its seeded fields back and is on the menu again; a missing one is
   * created. A stocked item's stock is the seeded figure less what open orders `held` of it.
   * Other items are left alone. Not audited, like the seed.
   */
  async restoreDemoMenu(
    tx: EventTransaction,
    held: readonly StockChange[],
  ): Promise<{ restored: number; created: number }> {
    const repository = tx.manager.getRepository(MenuItemEntity);
    let restored = 0;
    let created = 0;
    for (const item of DEMO_MENU) {
      const existing = await repository.findOne({
        where: { name: item.name },
        order: { archived: 'ASC', createdAt: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      if (!existing) {
        await this.createIn(tx, item, demoGroups(item), this.demoStation(item.station), undefined);
        created += 1;
        continue;
      }
      // Open orders keep what they took: the seeded stock is put back less that.
      const taken = held
        .filter((change) => change.menuItemId === existing.id)
        .reduce((sum, change) => sum + change.quantity, 0);
      const fields = newItemFields(
        item,
        buildOptionGroups(item.optionGroups ?? [], []),
        this.demoStation(item.station),
      );
      await repository.update(
        { id: existing.id },
        { ...fields, stock: fields.stock === null ? null : Math.max(0, fields.stock - taken) },
      );
      restored += 1;
    }
    tx.emit({ type: 'menu.updated' });
    return { restored, created };
  }

  private async createIn(
    tx: EventTransaction,
    input: CreateMenuItemDto,
    optionGroups: readonly MenuOptionGroup[],
    station: string,
    actor: Actor | undefined,
  ): Promise<MenuItemView> {
    const repository = tx.manager.getRepository(MenuItemEntity);
    const item = await repository.save(
      repository.create({
        id: randomUUID(),
        name: input.name,
        ...newItemFields(input, optionGroups, station),
      }),
    );
    if (actor) {
      await this.record(tx, actor, 'menu_item_created', item, {
        item: pick(item, AUDITED_FIELDS),
      });
    }
    tx.emit({ type: 'menu.updated' });
    return toMenuItemView(item);
  }

  /** A station the admin names must be one of STATIONS. */
  private checkStation(station: string | undefined): void {
    if (station === undefined || this.config.stations.includes(station)) return;
    const known = this.config.stations.join(', ');
    throw new AppError(ErrorCode.VALIDATION_FAILED, `station must be one of: ${known}`, [
      { field: 'station', errors: [`station must be one of: ${known}`] },
    ]);
  }

  /** The demo menu's station for an item, or the default where this venue has no such station. */
  private demoStation(station: string | undefined): string {
    return station !== undefined && this.config.stations.includes(station)
      ? station
      : this.config.stations[0];
  }

  /** The item's row, locked until the transaction ends, so before and after are exact. */
  private lockItem(manager: EntityManager, id: string): Promise<MenuItemEntity | null> {
    return manager
      .getRepository(MenuItemEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Audits what changed between two states of an item; false when nothing did. */
  private async auditChanges(
    tx: EventTransaction,
    actor: Actor,
    before: MenuItemEntity,
    after: MenuItemEntity,
    stockDelta: number | undefined,
  ): Promise<boolean> {
    let changed = false;
    if (before.stock !== after.stock) {
      changed = true;
      await this.record(tx, actor, 'stock_changed', after, {
        from: before.stock,
        to: after.stock,
        ...(stockDelta === undefined ? {} : { delta: stockDelta }),
      });
    }
    if (before.available !== after.available) {
      changed = true;
      await this.record(tx, actor, 'menu_availability_changed', after, {
        from: before.available,
        to: after.available,
      });
    }
    const fields = AUDITED_FIELDS.filter(
      (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
    );
    if (fields.length > 0) {
      changed = true;
      await this.record(tx, actor, 'menu_item_updated', after, {
        fields,
        before: pick(before, fields),
        after: pick(after, fields),
      });
    }
    return changed;
  }

  private record(
    tx: EventTransaction,
    actor: Actor,
    type: MenuAuditType,
    item: MenuItemEntity,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(
      {
        type,
        userId: actor.userId,
        sessionId: actor.sessionId,
        ip: actor.ip,
        details: { actorId: actor.userId, menuItemId: item.id, name: item.name, ...details },
      },
      tx.manager,
    );
  }

  private async addStock(id: string, delta: number, manager: EntityManager): Promise<void> {
    const { count } = await changeRows(
      manager,
      `UPDATE menu_items SET stock = stock + $2, updated_at = now()
        WHERE id = $1 AND stock IS NOT NULL AND stock + $2 >= 0 AND (stock + $2 <= $3 OR $2 < 0)`,
      [id, delta, MAX_STOCK],
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
        : `the stock is ${current.stock}; it cannot go below 0 or be raised above ${MAX_STOCK}`;
    throw new AppError(ErrorCode.VALIDATION_FAILED, `stockDelta: ${reason}`, [
      { field: 'stockDelta', errors: [reason] },
    ]);
  }
}

function sortedById(changes: readonly StockChange[]): StockChange[] {
  return [...changes].sort((a, b) =>
    a.menuItemId < b.menuItemId ? -1 : a.menuItemId > b.menuItemId ? 1 : 0,
  );
}

/** The columns of an item as created from `input` (and as the demo reset puts them back). */
function newItemFields(
  input: CreateMenuItemDto,
  optionGroups: readonly MenuOptionGroup[],
  station: string,
) {
  return {
    description: input.description ?? '',
    category: input.category,
    priceCents: input.priceCents,
    available: input.available ?? true,
    stock: input.stock ?? null,
    allergens: input.allergens ?? [],
    station,
    archived: false,
    sortOrder: input.sortOrder ?? 0,
    optionGroups: [...optionGroups],
    vatRateBasisPoints: input.vatRateBasisPoints ?? 0,
  };
}

/** A demo item's option groups, made (new ids). */
function demoGroups(item: CreateMenuItemDto): MenuOptionGroup[] {
  return buildOptionGroups(item.optionGroups ?? [], []);
}

/**
 * The option groups an admin sent, as stored: a given `id` keeps that group or option (it must be
 * one of the item's, `existing`, and given once), others get new ids. `min`/`max` must fit the
 * options (0 ≤ min ≤ max ≤ options). Errors name the field (`optionGroups.0.max`).
 */
export function buildOptionGroups(
  input: readonly OptionGroupInputDto[],
  existing: readonly MenuOptionGroup[],
): MenuOptionGroup[] {
  const groupIds = new Set(existing.map((group) => group.id));
  const optionIds = new Set(existing.flatMap((group) => group.options.map((option) => option.id)));
  const seen = new Set<string>();
  const problems: { field: string; errors: string[] }[] = [];
  const keep = (
    id: string | undefined,
    known: Set<string>,
    field: string,
    what: string,
  ): string => {
    if (id === undefined) return randomUUID();
    if (!known.has(id)) problems.push({ field, errors: [`no such ${what} on this item`] });
    else if (seen.has(id)) problems.push({ field, errors: [`${what} ${id} is given twice`] });
    seen.add(id);
    return id;
  };
  const groups = input.map((group, index) => {
    const at = `optionGroups.${String(index)}`;
    if (group.min > group.max) {
      problems.push({ field: `${at}.min`, errors: ['min must not be greater than max'] });
    }
    if (group.max > group.options.length) {
      problems.push({
        field: `${at}.max`,
        errors: ['max must not be greater than the number of options'],
      });
    }
    return {
      id: keep(group.id, groupIds, `${at}.id`, 'option group'),
      name: group.name,
      min: group.min,
      max: group.max,
      options: group.options.map((option, optionIndex) => ({
        id: keep(option.id, optionIds, `${at}.options.${String(optionIndex)}.id`, 'option'),
        name: option.name,
        priceDeltaCents: option.priceDeltaCents,
        available: option.available ?? true,
      })),
    };
  });
  if (problems.length > 0) {
    throw new AppError(
      ErrorCode.VALIDATION_FAILED,
      problems.map((problem) => `${problem.field}: ${problem.errors.join(', ')}`).join('; '),
      problems,
    );
  }
  return groups;
}

/** No choice of options may bring a unit price below 0. */
function checkPriceFloor(priceCents: number, groups: readonly MenuOptionGroup[]): void {
  const cheapest = cheapestUnitPriceCents(priceCents, groups);
  if (cheapest >= 0) return;
  const reason = `a choice of options would make the price ${String(cheapest)} cents; it must not go below 0`;
  throw new AppError(ErrorCode.VALIDATION_FAILED, `optionGroups: ${reason}`, [
    { field: 'optionGroups', errors: [reason] },
  ]);
}
