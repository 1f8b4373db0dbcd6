import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { selectRows } from '../database/sql-rows.js';
import { SessionStartHooks, type StartedSession } from '../sessions/session-start-hooks.js';
import { AccountLinks } from './account-links.js';
import { MailService } from './mail.service.js';
import { networkOf } from './network.js';

/** A device and network not seen for this long counts as new again. */
export const KNOWN_DEVICE_DAYS = 90;
/**
 * An account this young with no device recorded is signing in from the device it was just made
 * on (registration signs in): that sign-in alone is not worth a notice.
 */
const NEW_ACCOUNT_MINUTES = 60;

/**
 * "New sign-in to Taproom": when a session starts (a password sign-in, or its second step) for
 * a user with an email, from a device label and network (/24, /48) not seen for that user in
 * the last 90 days, a notice is queued in the session's transaction, with a single-use "sign out
 * everywhere" link (valid 7 days) and a link to reset the password. Every sign-in records its
 * pair in `known_devices`. The one sign-in without a notice from a new pair: the account has no
 * pair recorded at all, was created less than an hour ago and has never had a session before
 * (the device that just registered; not one signing in after a recovery forgot the devices).
 * Any other account's first recorded sign-in is notified (an account made by an admin, one that
 * existed before notices did, one whose devices were forgotten by a recovery).
 * Serialised per user by the lock the session start holds on the user's row.
 */
@Injectable()
export class NewDeviceNotices implements OnModuleInit {
  constructor(
    private readonly startHooks: SessionStartHooks,
    private readonly mail: MailService,
    private readonly links: AccountLinks,
  ) {}

  onModuleInit(): void {
    this.startHooks.add((manager, started) => this.onSessionStarted(manager, started));
  }

  private async onSessionStarted(manager: EntityManager, started: StartedSession): Promise<void> {
    if (started.email === null || started.role === 'guest') return;
    const network = networkOf(started.ip);
    const [history] = await selectRows<{ any: boolean; known: boolean; fresh: boolean }>(
      manager,
      `SELECT count(*) > 0 AS "any",
              coalesce(bool_or(device = $2 AND network = $3
                AND last_seen_at > now() - make_interval(days => $4)), false) AS "known",
              coalesce((SELECT created_at > now() - make_interval(mins => $5)
                          FROM users WHERE id = $1), false)
                AND NOT EXISTS (SELECT 1 FROM sessions WHERE user_id = $1 AND id <> $6)
                AS "fresh"
         FROM known_devices WHERE user_id = $1`,
      [
        started.userId,
        started.device,
        network,
        KNOWN_DEVICE_DAYS,
        NEW_ACCOUNT_MINUTES,
        started.sessionId,
      ],
    );
    await manager.query(
      `INSERT INTO known_devices (user_id, device, network, first_seen_at, last_seen_at)
       VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (user_id, device, network) DO UPDATE SET last_seen_at = now()`,
      [started.userId, started.device, network],
    );
    if (!history || history.known || (!history.any && history.fresh)) return;
    if (!this.mail.available) return;
    const token = await this.links.issue(manager, started.userId, 'sign_out_everywhere');
    await this.mail.enqueue(manager, {
      to: started.email,
      template: 'new_sign_in',
      payload: {
        name: started.name,
        // Staff are sent to their own console's pages, whichever app they signed in to.
        app: started.role === 'admin' || started.role === 'bartender' ? started.role : 'customer',
        device: started.device,
        network,
        at: started.at.toISOString(),
        sealedToken: this.mail.seal(token),
      },
    });
  }

  /**
   * Forgets every device and network of the user, in the caller's transaction: after a password
   * reset or "sign out everywhere", no device counts as the owner's any more, so the next
   * sign-in from any of them (an intruder's) is notified again.
   */
  async forgetDevices(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM known_devices WHERE user_id = $1`, [userId]);
  }
}
