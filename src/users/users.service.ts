import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type EntityManager, In, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { countQueryUpTo, type PageTotal } from '../common/pagination.js';
import { isUniqueViolation } from '../database/postgres-errors.js';
import { containsPattern, userMatchesTextSql } from './users-sql.js';
import { UserEntity } from './entities/user.entity.js';
import type { AccountRole, Role } from './role.js';
import { canonicalEmail } from './canonical-email.js';
import { PasswordHasher } from './password-hasher.js';

/** A user as this module's service returns it: the type only, never the table. */
export type User = UserEntity;

/** A user with an email and a password: anyone but a guest. */
export type Account = UserEntity & {
  email: string;
  emailCanonical: string;
  passwordHash: string;
  role: AccountRole;
};

export interface NewUser {
  email: string;
  name: string;
  role: AccountRole;
  password: string;
}

export interface NewHashedUser {
  email: string;
  name: string;
  role: AccountRole;
  passwordHash: string;
}

/** What a guest gives to become a customer: the password hashed before the transaction. */
export interface GuestUpgrade {
  email: string;
  name: string;
  passwordHash: string;
}

/** What an admin may change about a user. */
export interface UserChanges {
  name?: string;
  role?: Role;
  active?: boolean;
  passwordHash?: string;
}

export interface UserSearch {
  role?: Role;
  /** Matched case-insensitively anywhere in the email or the name. */
  q?: string;
  skip: number;
  take: number;
}

/** Owns the `users` table: lookups, creation and password checks. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
  ) {}

  findById(id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repository(manager).findOneBy({ id });
  }

  /** The user whose email is this one in its canonical form ({@link canonicalEmail}). */
  findByEmail(email: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repository(manager).findOneBy({ emailCanonical: canonicalEmail(email) });
  }

  /** Creates a user; an email already in use (in any spelling of it) is `EMAIL_TAKEN`. */
  async create(input: NewUser, manager?: EntityManager): Promise<Account> {
    const passwordHash = await this.hasher.hash(input.password);
    return this.insert({ ...input, passwordHash }, manager);
  }

  /** Creates the user unless one with that email exists; used by the demo seed. */
  async ensure(input: NewUser, manager?: EntityManager): Promise<UserEntity> {
    return (await this.findByEmail(input.email, manager)) ?? this.create(input, manager);
  }

  /** Several users by id, in no particular order; unknown ids are skipped. */
  findByIds(ids: readonly string[], manager?: EntityManager): Promise<UserEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repository(manager).findBy({ id: In([...ids]) });
  }

  /**
   * Locks the user's row until `manager`'s transaction ends and returns the user, if any.
   * `update` (`SELECT … FOR UPDATE`, the default) is for work that changes the user or counts per
   * user (sessions at login), which it serialises per user. `share` (`FOR SHARE`) is for work
   * done on the strength of the user's state (a refresh): such work goes on side by side, a
   * change to the user waits for it, and a change that committed first is seen.
   */
  lockById(
    id: string,
    manager: EntityManager,
    mode: 'update' | 'share' = 'update',
  ): Promise<UserEntity | null> {
    return manager
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')
      .where('user.id = :id', { id })
      .getOne();
  }

  /**
   * Replaces the user's password hash (made with {@link PasswordHasher.hash} before the
   * transaction, so the slow hashing does not hold it open) and moves its credentials version.
   */
  async setPasswordHash(id: string, passwordHash: string, manager: EntityManager): Promise<void> {
    await manager
      .getRepository(UserEntity)
      .update({ id }, { passwordHash, credentialsVersion: () => 'credentials_version + 1' });
  }

  /**
   * Turns two-factor sign-in on or off for the user (the two-factor module keeps the secret) and
   * moves the credentials version: a sign-in whose password check read the account before this
   * change never starts a session after it.
   */
  async setTwoFactorEnabled(id: string, enabled: boolean, manager: EntityManager): Promise<void> {
    await manager
      .getRepository(UserEntity)
      .update(
        { id },
        { twoFactorEnabled: enabled, credentialsVersion: () => 'credentials_version + 1' },
      );
  }

  /**
   * The ids of up to `limit` users whose email or name contains `text` (case-insensitively), in
   * no particular order; served by the users' trigram indexes. A caller that gets `limit` ids
   * back must assume there are more.
   */
  async idsMatching(text: string, limit: number): Promise<string[]> {
    const rows = await this.users
      .createQueryBuilder('user')
      .select('user.id', 'id')
      .where(userMatchesTextSql('user', ':pattern'), { pattern: containsPattern(text) })
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** A page of users, newest first, filtered by role and by a search in email and name. */
  async search(filter: UserSearch): Promise<[UserEntity[], PageTotal]> {
    const query = this.users.createQueryBuilder('user');
    if (filter.role !== undefined) query.andWhere('user.role = :role', { role: filter.role });
    if (filter.q !== undefined && filter.q !== '') {
      const pattern = containsPattern(filter.q);
      query.andWhere(
        new Brackets((where) => {
          where
            .where("user.email ILIKE :pattern ESCAPE '\\'", { pattern })
            .orWhere("user.name ILIKE :pattern ESCAPE '\\'", { pattern });
        }),
      );
    }
    const counted = await countQueryUpTo(query);
    const rows = await query
      .orderBy('user.created_at', 'DESC')
      .addOrderBy('user.id', 'DESC')
      .offset(filter.skip)
      .limit(filter.take)
      .getMany();
    return [rows, counted];
  }

  /**
   * Locks every active admin's row, in id order, until `manager`'s transaction ends, and
   * returns their ids. Take it before changing any user's role or activity: two transactions
   * that each demote a different admin then run one after the other, and the second sees the
   * first's result, so the last active admin can never be demoted or deactivated.
   */
  async lockActiveAdmins(manager: EntityManager): Promise<string[]> {
    const admins = await manager
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .select('user.id')
      .setLock('pessimistic_write')
      .where("user.role = 'admin' AND user.active")
      .orderBy('user.id')
      .getMany();
    return admins.map((admin) => admin.id);
  }

  /** Inserts a user whose password was hashed before the transaction. */
  async insert(input: NewHashedUser, manager?: EntityManager): Promise<Account> {
    const email = input.email.normalize('NFKC').trim();
    const user = this.repository(manager).create({
      id: randomUUID(),
      email,
      emailCanonical: canonicalEmail(email),
      name: input.name.trim(),
      role: input.role,
      passwordHash: input.passwordHash,
      tableNumber: null,
      active: true,
      credentialsVersion: 0,
      twoFactorEnabled: false,
    });
    try {
      await this.repository(manager).save(user);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_users_email_canonical')) {
        throw new AppError(ErrorCode.EMAIL_TAKEN);
      }
      throw error;
    }
    return Object.assign(user, {
      email,
      emailCanonical: canonicalEmail(email),
      passwordHash: input.passwordHash,
      role: input.role,
    });
  }

  /**
   * Inserts a guest of table `tableNumber`: no email and no password (the database refuses a
   * guest with either, and a sign-in by email can never find one), named after the table.
   */
  async insertGuest(tableNumber: number, manager?: EntityManager): Promise<UserEntity> {
    const user = this.repository(manager).create({
      id: randomUUID(),
      email: null,
      emailCanonical: null,
      name: `Guest at table ${String(tableNumber)}`,
      role: 'guest',
      passwordHash: null,
      tableNumber,
      active: true,
      credentialsVersion: 0,
      twoFactorEnabled: false,
    });
    return this.repository(manager).save(user);
  }

  /**
   * Turns the guest `id` into a customer in place (same id, so its orders and sessions stay
   * its own): email, name and password hash set, table dropped, credentials version moved.
   * Call it with the user's row locked ({@link lockById}); an email already in use (in any
   * spelling) is `EMAIL_TAKEN`, and the caller's transaction cannot go on (it rolls back).
   */
  async upgradeGuest(
    id: string,
    upgrade: GuestUpgrade,
    manager: EntityManager,
  ): Promise<UserEntity | null> {
    const email = upgrade.email.normalize('NFKC').trim();
    const repository = manager.getRepository(UserEntity);
    try {
      await repository.update(
        { id, role: 'guest' },
        {
          email,
          emailCanonical: canonicalEmail(email),
          name: upgrade.name.trim(),
          passwordHash: upgrade.passwordHash,
          role: 'customer',
          tableNumber: null,
          credentialsVersion: () => 'credentials_version + 1',
        },
      );
    } catch (error) {
      // The caller's transaction is aborted by the violation: it rolls back whole.
      if (isUniqueViolation(error, 'uq_users_email_canonical')) {
        throw new AppError(ErrorCode.EMAIL_TAKEN);
      }
      throw error;
    }
    return repository.findOneBy({ id });
  }

  /**
   * Changes a user's name, role, activity or password hash; a change to any but the name moves
   * the credentials version. Returns the row as it is now.
   */
  async applyChanges(
    id: string,
    changes: UserChanges,
    manager: EntityManager,
  ): Promise<UserEntity | null> {
    const values: QueryDeepPartialEntity<UserEntity> = {};
    if (changes.role !== undefined) values.role = changes.role;
    if (changes.active !== undefined) values.active = changes.active;
    if (changes.passwordHash !== undefined) values.passwordHash = changes.passwordHash;
    if (Object.keys(values).length > 0) {
      values.credentialsVersion = () => 'credentials_version + 1';
    }
    if (changes.name !== undefined) values.name = changes.name.trim();
    const repository = manager.getRepository(UserEntity);
    if (Object.keys(values).length > 0) await repository.update({ id }, values);
    return repository.findOneBy({ id });
  }

  private repository(manager?: EntityManager): Repository<UserEntity> {
    return manager ? manager.getRepository(UserEntity) : this.users;
  }
}
