import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { describeThrown } from '../common/errors/describe-thrown.js';
import { AdvisoryLock, withAdvisoryLock } from '../database/advisory-lock.js';
import { EventOutbox } from '../events/event-outbox.js';
import { MenuService } from '../menu/menu.service.js';
import { BusyEveningService } from '../orders/busy-evening.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { type NewUser, UsersService } from '../users/users.service.js';
import { DEMO_ACCOUNTS, DEMO_EVENING_CUSTOMERS } from './demo-accounts.js';

/** What `npm run demo:reset` did. */
export interface DemoReset {
  /** Demo accounts put back (password, name, role, active), their sessions ended. */
  readonly accountsRestored: number;
  readonly accountsCreated: number;
  readonly menuItemsRestored: number;
  readonly menuItemsCreated: number;
  /** Orders of the busy evening placed, when asked for, or why none were. */
  readonly busyEvening: number | 'skipped: orders are open' | undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether a listening address is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host);
}

/** Seeds the demo accounts once, idempotently, when the configuration asks for demo data. */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly menu: MenuService,
    private readonly outbox: EventOutbox,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly evening: BusyEveningService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seedDemo) {
      const { events } = await withAdvisoryLock(
        this.dataSource,
        AdvisoryLock.DemoSeed,
        async (connection) => {
          for (const account of DEMO_ACCOUNTS) await this.users.ensure(account, connection);
          return this.outbox.transactionOn(connection, (tx) => this.menu.ensureDemoMenu(tx));
        },
      );
      // Once the lock's connection is free: delivering them reads the log.
      await this.outbox.publish(events);
      if (this.config.demoBusyEvening && !(await this.evening.hasOpenOrders())) {
        // Demo orders are a convenience: the server starts without them.
        try {
          const placed = await this.seedBusyEvening();
          if (placed > 0) this.logger.log(`Seeded a busy evening: ${placed} orders`);
          else this.logger.warn('No busy evening: nothing on the menu could be ordered');
        } catch (error) {
          this.logger.warn(`No busy evening: ${describeThrown(error)}`);
        }
      }
    }
    if (!isLoopbackHost(this.config.host)) await this.warnAboutExposedDemoAccounts();
  }

  /**
   * Puts the demo accounts and the demo menu back as they were seeded (`npm run demo:reset`):
   * each account gets its published password, name and role back, is active, and every session
   * it had ends; each demo item gets its seeded price, stock and availability back and is on the
   * menu again. Other accounts, other items and past orders stay as they are. With
   * `busyEvening`, a busy evening's orders follow.
   */
  async reset(options: { busyEvening: boolean }): Promise<DemoReset> {
    if (!this.config.seedDemo) {
      throw new Error(
        'demo data exists only outside production, on the embedded database or with SEED_DEMO=true',
      );
    }
    const hashes = await Promise.all(
      DEMO_ACCOUNTS.map((account) => this.hasher.hash(account.password)),
    );
    const { result, events } = await withAdvisoryLock(
      this.dataSource,
      AdvisoryLock.DemoSeed,
      (connection) =>
        this.outbox.transactionOn(connection, async (tx) => {
          let accountsRestored = 0;
          let accountsCreated = 0;
          for (const [index, account] of DEMO_ACCOUNTS.entries()) {
            const user = await this.users.findByEmail(account.email, tx.manager);
            if (!user) {
              await this.users.create(account, tx.manager);
              accountsCreated += 1;
              continue;
            }
            await this.users.lockById(user.id, tx.manager);
            await this.users.applyChanges(
              user.id,
              {
                name: account.name,
                role: account.role,
                active: true,
                passwordHash: hashes[index] ?? '',
              },
              tx.manager,
            );
            await this.sessions.revokeUserSessionsInTransaction(tx, user.id, 'password_changed');
            accountsRestored += 1;
          }
          const held = await this.evening.stockHeld(tx.manager);
          const menu = await this.menu.restoreDemoMenu(tx, held);
          return {
            accountsRestored,
            accountsCreated,
            menuItemsRestored: menu.restored,
            menuItemsCreated: menu.created,
          };
        }),
    );
    await this.outbox.publish(events);
    // Another evening on top of open orders would give two of everything at the same times.
    const busyEvening = options.busyEvening
      ? (await this.evening.hasOpenOrders())
        ? 'skipped: orders are open'
        : await this.seedBusyEvening()
      : undefined;
    return { ...result, busyEvening };
  }

  /** A busy evening's orders, from the evening's customers, moved along by the demo bartender. */
  private async seedBusyEvening(): Promise<number> {
    const bartenderAccount = DEMO_ACCOUNTS.find((account) => account.role === 'bartender');
    const bartender = bartenderAccount && (await this.users.findByEmail(bartenderAccount.email));
    if (!bartender?.active || bartender.role !== 'bartender') {
      throw new Error(
        'the demo bartender account is missing, deactivated or no longer a bartender (npm run demo:reset restores it)',
      );
    }
    const customers = [];
    for (const guest of DEMO_EVENING_CUSTOMERS) {
      customers.push(
        await this.users.ensure({
          ...guest,
          role: 'customer',
          // No one knows it: these customers only exist to have ordered.
          password: randomBytes(24).toString('base64url'),
        }),
      );
    }
    return this.evening.seed({
      customers,
      // The evening's moves are audited under a session of their own, as a shift would be.
      bartender: { id: bartender.id, sessionId: randomUUID() },
    });
  }

  /** The demo accounts that exist and are active, with their published passwords. */
  async activeAccounts(): Promise<NewUser[]> {
    const active: NewUser[] = [];
    for (const account of DEMO_ACCOUNTS) {
      const user = await this.users.findByEmail(account.email);
      if (user?.active) active.push(account);
    }
    return active;
  }

  private async warnAboutExposedDemoAccounts(): Promise<void> {
    const present = (await this.activeAccounts()).map(
      (account) => `${account.email} / ${account.password}`,
    );
    if (present.length === 0) return;
    this.logger.warn(
      `DEMO ACCOUNTS WITH PUBLISHED PASSWORDS EXIST (${present.join(', ')}) and the server listens on ${this.config.host}: anyone who can reach it can sign in. Deactivate them or listen on 127.0.0.1.`,
    );
  }
}
