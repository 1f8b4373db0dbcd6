import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DataSource, EntityManager, TransactionCommitEvent } from 'typeorm';
import { LONGEST_TIMER_MS } from '../common/periodic-job.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { AdvisoryLock, withAdvisoryLock } from '../database/advisory-lock.js';
import { changeRows, selectRows } from '../database/sql-rows.js';
import { retryDelaySeconds } from './backoff.js';
import { LinkSealer } from './link-secret.js';
import { type MailMessage, type RenderedMail, renderMail } from './templates.js';

/** How mail leaves this instance. */
export type MailMode = 'smtp' | 'files' | 'unavailable';

/** How many due messages one pass claims at a time. */
const CLAIM_BATCH = 20;
/**
 * How long a claimed message stays invisible to every other instance: far longer than a send
 * takes (the SMTP timeouts below). It is renewed right before each send of a batch, so a slow
 * server delays the rest of a batch but never lets two instances send one message. Only if an
 * instance dies mid-send does it run out and the message get another attempt (with the same
 * Message-ID).
 */
const LEASE_SECONDS = 300;

/**
 * Whether a send failed for good: the SMTP server answered 5xx (bad address, no such mailbox,
 * refused), which another attempt would only get again. 4xx answers and connection errors are
 * worth retrying.
 */
function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

interface ClaimedRow {
  id: string;
  recipient: string;
  template: MailMessage['template'];
  payload: Record<string, unknown>;
  attempts: number;
}

/** What one pass of the job did (for tests and the log). */
export interface DeliveryResult {
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
}

/**
 * Mail that really goes out. {@link enqueue} writes a message to `mail_outbox` in the caller's
 * transaction (so a mail is queued iff the change commits); the job, run every
 * `MAIL_POLL_INTERVAL` and nudged after a queueing on this instance, claims due messages under
 * the mail advisory lock (`FOR UPDATE SKIP LOCKED`, a lease) and sends them outside any
 * transaction through nodemailer: to `SMTP_URL`, or, without it outside production, as `.eml`
 * files under `DATA_DIR/mail` with a log line naming subject and links. A send refused for good
 * (SMTP 5xx) fails at once; another failure (4xx, no connection) is tried again with
 * exponential backoff, up to `MAIL_MAX_ATTEMPTS`. Sending never blocks or fails the
 * request that queued the mail.
 */
@Injectable()
export class MailService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  readonly mode: MailMode;
  private readonly transport: Transporter | undefined;
  private readonly sealer: LinkSealer;
  private readonly directory: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<DeliveryResult> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    const { smtpUrl } = config.mail;
    this.mode = smtpUrl !== undefined ? 'smtp' : config.isProduction ? 'unavailable' : 'files';
    this.directory = join(config.dataDir, 'mail');
    this.sealer = new LinkSealer(config.secrets.refreshTokenKey);
    if (smtpUrl !== undefined) {
      this.transport = nodemailer.createTransport({
        url: smtpUrl,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
    } else if (this.mode === 'files') {
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    }
  }

  onApplicationBootstrap(): void {
    // Nudges the job once a transaction that queued mail has committed (on this instance).
    this.dataSource.subscribers.push({
      afterTransactionCommit: (event: TransactionCommitEvent) => {
        const data = event.queryRunner.data as { mailQueued?: boolean } | undefined;
        if (data?.mailQueued !== true) return;
        data.mailQueued = false;
        this.nudge();
      },
    });
    if (this.mode === 'unavailable') {
      this.logger.warn('No SMTP_URL in production: password reset and sign-in notices are off');
      return;
    }
    this.timer = setInterval(
      () => {
        this.nudge();
      },
      Math.min(this.config.mail.pollIntervalSeconds * 1000, LONGEST_TIMER_MS),
    );
    this.timer.unref();
    this.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    this.transport?.close();
  }

  /** Whether mail can go out at all; false only in production without `SMTP_URL`. */
  get available(): boolean {
    return this.mode !== 'unavailable';
  }

  /** `503 MAIL_UNAVAILABLE` when no mail can go out (production without `SMTP_URL`). */
  assertAvailable(): void {
    if (!this.available) throw new AppError(ErrorCode.MAIL_UNAVAILABLE);
  }

  /** Seals a link token for a payload (see {@link LinkSealer}). */
  seal(token: string): string {
    return this.sealer.seal(token);
  }

  /**
   * Queues `message` in the caller's transaction: it is sent iff that commits. Without any way
   * to send (production without `SMTP_URL`) nothing is queued. The job runs on this instance
   * once the transaction has committed.
   */
  async enqueue(manager: EntityManager, message: MailMessage): Promise<void> {
    if (!this.available) return;
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      runner.data = { ...(runner.data as object | undefined), mailQueued: true };
    }
    await manager.query(
      `INSERT INTO mail_outbox (id, recipient, template, payload) VALUES ($1, $2, $3, $4::jsonb)`,
      [randomUUID(), message.to, message.template, JSON.stringify(message.payload)],
    );
  }

  /** Runs the job soon on this instance (again after the current pass, if one is running). */
  nudge(): void {
    if (this.stopped || !this.available) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.deliverDue()
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'Mail delivery failed');
        return { sent: 0, retried: 0, failed: 0 };
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Resolves once no pass of the job is running on this instance (for tests). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Claims and sends due messages until none is left; also called by tests. */
  async deliverDue(): Promise<DeliveryResult> {
    let sent = 0;
    let retried = 0;
    let failed = 0;
    for (;;) {
      const claimed = await this.claim();
      for (const row of claimed) {
        // A slow server can make a batch outlast its lease, and another instance claim the rest:
        // each message's lease is renewed right before its send, and only if it is still ours.
        if (!(await this.renewLease(row))) continue;
        const outcome = await this.deliver(row);
        if (outcome === 'sent') sent += 1;
        else if (outcome === 'retry') retried += 1;
        else failed += 1;
      }
      if (claimed.length < CLAIM_BATCH || this.stopped) break;
    }
    return { sent, retried, failed };
  }

  /** Takes up to a batch of due messages, under the advisory lock, for this instance alone. */
  private claim(): Promise<ClaimedRow[]> {
    return withAdvisoryLock(this.dataSource, AdvisoryLock.MailDelivery, async (manager) => {
      return selectRows<ClaimedRow>(
        manager,
        // RETURNING comes in no particular order: the batch is sent oldest first, as claimed.
        `WITH claimed AS (
           UPDATE mail_outbox
              SET claimed_until = now() + make_interval(secs => $2), attempts = attempts + 1
            WHERE id IN (
              SELECT id FROM mail_outbox
               WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
                 AND (claimed_until IS NULL OR claimed_until <= now())
               ORDER BY next_attempt_at, created_at
               LIMIT $1
               FOR UPDATE SKIP LOCKED)
          RETURNING id, recipient, template, payload, attempts, next_attempt_at, created_at)
         SELECT id, recipient, template, payload, attempts FROM claimed
          ORDER BY next_attempt_at, created_at`,
        [CLAIM_BATCH, LEASE_SECONDS],
      );
    });
  }

  /**
   * Renews the lease of a claimed message for a full {@link LEASE_SECONDS} from now, if no other
   * instance claimed it since (a claim moves `attempts`, so an unchanged count means it is still
   * this pass's) and it is not done. False: leave it alone.
   */
  private async renewLease(row: ClaimedRow): Promise<boolean> {
    const { count } = await changeRows(
      this.dataSource.manager,
      `UPDATE mail_outbox SET claimed_until = now() + make_interval(secs => $3)
        WHERE id = $1 AND attempts = $2 AND sent_at IS NULL AND failed_at IS NULL`,
      [row.id, row.attempts, LEASE_SECONDS],
    );
    return count === 1;
  }

  private async deliver(row: ClaimedRow): Promise<'sent' | 'retry' | 'failed'> {
    try {
      const payload = row.payload;
      const sealed = typeof payload.sealedToken === 'string' ? payload.sealedToken : undefined;
      const rendered = renderMail(
        { to: row.recipient, template: row.template, payload } as MailMessage,
        {
          venueName: this.config.venueName,
          publicUrl: this.config.publicUrl,
          timeZone: this.config.venueTimezone,
          token: sealed === undefined ? undefined : this.sealer.open(sealed),
        },
      );
      await this.send(row.id, row.recipient, rendered);
    } catch (error) {
      return this.recordFailure(row, error);
    }
    // Sent: the payload (with its sealed token) is not needed any more.
    await this.dataSource.query(
      `UPDATE mail_outbox
          SET sent_at = now(), claimed_until = NULL, last_error = NULL, payload = '{}'::jsonb
        WHERE id = $1`,
      [row.id],
    );
    return 'sent';
  }

  private async recordFailure(row: ClaimedRow, error: unknown): Promise<'retry' | 'failed'> {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    if (isPermanentSmtpFailure(error) || row.attempts >= this.config.mail.maxAttempts) {
      await this.dataSource.query(
        `UPDATE mail_outbox
            SET failed_at = now(), claimed_until = NULL, last_error = $2, payload = '{}'::jsonb
          WHERE id = $1`,
        [row.id, reason],
      );
      this.logger.error(
        `Gave up on mail ${row.id} (${row.template}) after ${String(row.attempts)} attempts: ${reason}`,
      );
      return 'failed';
    }
    const delay = retryDelaySeconds(row.attempts, this.config.mail.retryBaseSeconds);
    await this.dataSource.query(
      `UPDATE mail_outbox
          SET next_attempt_at = now() + make_interval(secs => $2), claimed_until = NULL,
              last_error = $3
        WHERE id = $1`,
      [row.id, delay, reason],
    );
    this.logger.warn(
      `Mail ${row.id} (${row.template}) not sent (attempt ${String(row.attempts)}), next in ${String(delay)} s: ${reason}`,
    );
    return 'retry';
  }

  private async send(id: string, to: string, mail: RenderedMail): Promise<void> {
    if (!this.transport) throw new Error('No mail transport');
    const info = (await this.transport.sendMail({
      from: this.config.mail.from,
      to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // The same on every attempt, so a receiving server can drop a duplicate of a resend.
      messageId: `<${id}@taproom.mail>`,
    })) as { message?: unknown };
    if (this.mode === 'files') {
      await mkdir(this.directory, { recursive: true });
      const file = join(
        this.directory,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.eml`,
      );
      // Written aside, then renamed: whoever watches the folder never reads half a message.
      await writeFile(`${file}.part`, info.message as Buffer);
      await rename(`${file}.part`, file);
      // Development mode on purpose: with no mail server, this line is how a developer follows a
      // reset link. It is the only log line that ever carries a link token; production (and any
      // run with SMTP_URL) never writes it.
      this.logger.log(`Mail to ${to}: "${mail.subject}" ${mail.links.join(' ')} (${file})`);
    }
  }
}
