import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { isUniqueViolation } from '../database/postgres-errors.js';
import type { CreateTableDto, PublicTableDto, TableViewDto } from './dto/table.dto.js';
import { TableEntity } from './entities/table.entity.js';
import { TableTokenCodec } from './table-token.js';
import { toPublicTableView, toTableView } from './table-view.js';

/** A table that a QR token names. */
export interface SeatedTable {
  readonly id: string;
  readonly number: number;
  readonly label: string | null;
}

function noSuchTable(): AppError {
  return new AppError(ErrorCode.NOT_FOUND, 'No such table.');
}

function unknownToken(): AppError {
  return new AppError(ErrorCode.TABLE_UNKNOWN);
}

/**
 * Owns `tables`: the venue's tables and their QR codes. Admins create, label, rotate and delete
 * them (audited in the same transaction); anyone holding a current token may learn its table.
 */
@Injectable()
export class TablesService {
  private readonly codec: TableTokenCodec;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(TableEntity) private readonly tables: Repository<TableEntity>,
    private readonly audit: AuditService,
  ) {
    this.codec = new TableTokenCodec(config.secrets.refreshTokenKey);
  }

  /** Every table, by number. */
  async list(): Promise<TableViewDto[]> {
    const rows = await this.tables.find({ order: { number: 'ASC' } });
    return rows.map((row) => this.view(row));
  }

  /** A new table with a fresh token; a number in use is `TABLE_NUMBER_TAKEN`. */
  async create(input: CreateTableDto, actor: Actor): Promise<TableViewDto> {
    const id = randomUUID();
    const nonce = this.codec.newNonce();
    const table = this.tables.create({
      id,
      number: input.number,
      label: input.label ?? null,
      tokenNonce: nonce,
      tokenHash: this.codec.hash(this.codec.mint(id, nonce)),
    });
    const saved = await this.dataSource.transaction(async (manager) => {
      try {
        await manager.getRepository(TableEntity).insert(table);
      } catch (error) {
        if (isUniqueViolation(error, 'uq_tables_number')) {
          throw new AppError(
            ErrorCode.TABLE_NUMBER_TAKEN,
            `There is a table ${String(input.number)} already.`,
            { number: input.number },
          );
        }
        throw error;
      }
      await this.record(manager, 'table_created', actor, table);
      return this.found(manager, id);
    });
    return this.view(saved);
  }

  /** Sets or removes the table's label. */
  relabel(id: string, label: string | null, actor: Actor): Promise<TableViewDto> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.locked(manager, id);
      if (before.label === label) return this.view(before);
      await manager.getRepository(TableEntity).update({ id }, { label });
      const after = await this.found(manager, id);
      await this.record(manager, 'table_relabelled', actor, after, { from: before.label });
      return this.view(after);
    });
  }

  /** Gives the table a new token: its old QR code stops seating anyone at once. */
  rotate(id: string, actor: Actor): Promise<TableViewDto> {
    return this.dataSource.transaction(async (manager) => {
      await this.locked(manager, id);
      const nonce = this.codec.newNonce();
      await manager
        .getRepository(TableEntity)
        .update(
          { id },
          { tokenNonce: nonce, tokenHash: this.codec.hash(this.codec.mint(id, nonce)) },
        );
      const after = await this.found(manager, id);
      await this.record(manager, 'table_token_rotated', actor, after);
      return this.view(after);
    });
  }

  /**
   * Deletes the table: its QR code stops seating anyone. Guests already seated keep their
   * sessions and their table number (their orders say where to bring them).
   */
  async remove(id: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const table = await this.locked(manager, id);
      await manager.getRepository(TableEntity).delete({ id });
      await this.record(manager, 'table_deleted', actor, table);
    });
  }

  /** The table a QR token names; an unknown, rotated or deleted one is `TABLE_UNKNOWN`. */
  async resolve(token: string): Promise<SeatedTable> {
    if (!this.codec.isWellFormed(token)) throw unknownToken();
    const table = await this.tables.findOneBy({ tokenHash: this.codec.hash(token) });
    if (!table) throw unknownToken();
    return { id: table.id, number: table.number, label: table.label };
  }

  /** `{number, label}` of the table a token names (`GET /api/tables/:token`). */
  async describe(token: string): Promise<PublicTableDto> {
    return toPublicTableView(await this.resolve(token));
  }

  private view(table: TableEntity): TableViewDto {
    const token = this.codec.mint(table.id, table.tokenNonce);
    return toTableView(table, `${this.config.publicUrl}/t/${token}`);
  }

  private async locked(manager: EntityManager, id: string): Promise<TableEntity> {
    const table = await manager
      .getRepository(TableEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :id', { id })
      .getOne();
    if (!table) throw noSuchTable();
    return table;
  }

  private async found(manager: EntityManager, id: string): Promise<TableEntity> {
    const table = await manager.getRepository(TableEntity).findOneBy({ id });
    if (!table) throw noSuchTable();
    return table;
  }

  private record(
    manager: EntityManager,
    type: 'table_created' | 'table_relabelled' | 'table_token_rotated' | 'table_deleted',
    actor: Actor,
    table: TableEntity,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    return this.audit.record(
      {
        type,
        userId: actor.userId,
        sessionId: actor.sessionId,
        ip: actor.ip,
        details: {
          actorId: actor.userId,
          tableId: table.id,
          number: table.number,
          label: table.label,
          ...extra,
        },
      },
      manager,
    );
  }
}
