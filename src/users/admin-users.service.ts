import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthContext } from '../auth/auth-context.js';
import { assertAcceptablePassword } from '../auth/password-policy.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { type Page, pageWindow, totalWithPage } from '../common/pagination.js';
import { EventOutbox } from '../events/event-outbox.js';
import type { RevocationReason } from '../sessions/revocation-reason.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { AdminAccessHooks } from './admin-access-hooks.js';
import { toAdminUserView } from './admin-user-view.js';
import type {
  AdminUserDto,
  AdminUserQueryDto,
  CreateUserDto,
  UpdateUserDto,
} from './dto/admin-users.dto.js';
import { PasswordHasher } from './password-hasher.js';
import type { Role } from './role.js';
import { type User, type UserChanges, UsersService } from './users.service.js';

/** A user's role and activity before and after an admin's change. */
interface UserChange {
  userId: string;
  from: { role: Role; active: boolean };
  to: { role: Role; active: boolean };
  passwordChanged: boolean;
}

/**
 * A guest has no email and no password, and becomes a customer only by upgrading itself (with
 * an email of its own): an admin may rename or (de)activate a guest, not give it a role or a
 * password.
 */
function assertChangeableGuest(user: User, dto: UpdateUserDto): void {
  if (user.role !== 'guest') return;
  const field = dto.role !== undefined ? 'role' : dto.password !== undefined ? 'password' : null;
  if (field === null) return;
  const message = `A guest's ${field} cannot be set: a guest becomes a customer by creating an account.`;
  throw new AppError(ErrorCode.VALIDATION_FAILED, message, [{ field, errors: [message] }]);
}

/** Which change ends the user's sessions, the most telling reason first. */
function revocationReasonOf(change: UserChange): RevocationReason | undefined {
  if (change.from.active && !change.to.active) return 'deactivated';
  if (change.from.role !== change.to.role) return 'role_changed';
  if (change.passwordChanged) return 'password_changed';
  return undefined;
}

/**
 * The admin console's user management: list and search, create accounts of any role, rename,
 * change role, (de)activate and set passwords. Role changes, deactivations and new passwords end
 * the user's sessions in the same transaction; the last active admin is never demoted or
 * deactivated, even by two admins at once.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly outbox: EventOutbox,
    private readonly adminAccess: AdminAccessHooks,
  ) {}

  async list(query: AdminUserQueryDto): Promise<Page<AdminUserDto>> {
    const window = pageWindow(query);
    const [rows, counted] = await this.users.search({ role: query.role, q: query.q, ...window });
    return { items: rows.map(toAdminUserView), ...totalWithPage(counted, window, rows.length) };
  }

  async get(id: string): Promise<AdminUserDto> {
    const user = await this.users.findById(id);
    if (!user) throw new AppError(ErrorCode.NOT_FOUND, 'No such user.');
    return toAdminUserView(user);
  }

  async create(actor: AuthContext, dto: CreateUserDto, ip: string | null): Promise<AdminUserDto> {
    assertAcceptablePassword(dto.password, dto.role);
    // Hashing is slow: done before the transaction so it holds no connection meanwhile.
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await this.dataSource.transaction(async (manager) => {
      const created = await this.users.insert(
        { email: dto.email, name: dto.name, role: dto.role, passwordHash },
        manager,
      );
      await this.audit.record(
        {
          type: 'user_created',
          userId: created.id,
          sessionId: actor.sessionId,
          ip,
          details: { actorId: actor.userId, email: created.email, role: created.role },
        },
        manager,
      );
      return created;
    });
    return toAdminUserView(user);
  }

  async update(
    actor: AuthContext,
    id: string,
    dto: UpdateUserDto,
    ip: string | null,
  ): Promise<AdminUserDto> {
    let passwordHash: string | undefined;
    if (dto.password !== undefined) {
      const current = await this.users.findById(id);
      if (!current) throw new AppError(ErrorCode.NOT_FOUND, 'No such user.');
      assertChangeableGuest(current, dto);
      assertAcceptablePassword(dto.password, dto.role ?? current.role);
      passwordHash = await this.hasher.hash(dto.password);
    }

    const user = await this.outbox.transaction(async (tx) => {
      const { manager } = tx;
      // Admins first, in id order, then the user: every role/activity change takes the locks in
      // the same order, so concurrent demotions queue up instead of deadlocking.
      const activeAdmins =
        dto.role !== undefined || dto.active !== undefined
          ? await this.users.lockActiveAdmins(manager)
          : [];
      const before = await this.users.lockById(id, manager);
      if (!before) throw new AppError(ErrorCode.NOT_FOUND, 'No such user.');
      assertChangeableGuest(before, dto);
      const role: Role = dto.role ?? before.role;
      const active = dto.active ?? before.active;
      if (dto.password !== undefined) assertAcceptablePassword(dto.password, role);

      const losesAdmin = before.role === 'admin' && before.active && (role !== 'admin' || !active);
      if (losesAdmin && !activeAdmins.some((adminId) => adminId !== id)) {
        throw new AppError(ErrorCode.LAST_ADMIN);
      }

      const changes: UserChanges = { name: dto.name, passwordHash };
      if (role !== before.role) changes.role = role;
      if (active !== before.active) changes.active = active;
      const after = await this.users.applyChanges(id, changes, manager);
      if (!after) throw new AppError(ErrorCode.NOT_FOUND, 'No such user.');

      const change: UserChange = {
        userId: id,
        from: { role: before.role, active: before.active },
        to: { role: after.role, active: after.active },
        passwordChanged: passwordHash !== undefined,
      };
      await this.auditChange(manager, actor, ip, change);
      if (losesAdmin) await this.adminAccess.lost(tx, id, active ? 'demoted' : 'deactivated');
      const reason = revocationReasonOf(change);
      if (reason !== undefined) {
        await this.sessions.revokeUserSessionsInTransaction(tx, id, reason, {
          actorId: actor.userId,
          ip,
        });
      }
      // Published after the commit, with the revocations: other requests and instances stop
      // accepting the old tokens and drop their cached view of the user.
      tx.emit({ type: 'user.changed', userId: id });
      return after;
    });
    return toAdminUserView(user);
  }

  private async auditChange(
    manager: EntityManager,
    actor: AuthContext,
    ip: string | null,
    change: UserChange,
  ): Promise<void> {
    const base = { userId: change.userId, sessionId: actor.sessionId, ip };
    if (change.from.role !== change.to.role) {
      await this.audit.record(
        {
          ...base,
          type: 'user_role_changed',
          details: { actorId: actor.userId, from: change.from.role, to: change.to.role },
        },
        manager,
      );
    }
    if (change.from.active !== change.to.active) {
      await this.audit.record(
        {
          ...base,
          type: change.to.active ? 'user_reactivated' : 'user_deactivated',
          details: { actorId: actor.userId },
        },
        manager,
      );
    }
    if (change.passwordChanged) {
      await this.audit.record(
        { ...base, type: 'password_changed', details: { actorId: actor.userId, byAdmin: true } },
        manager,
      );
    }
  }
}
