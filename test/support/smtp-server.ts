import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the test SMTP server received it. */
export interface ReceivedMail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string | undefined;
  readonly parsed: ParsedMail;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>` for `SMTP_URL`. */
  readonly url: string;
  readonly received: ReceivedMail[];
  /** How many times a delivery was refused. */
  readonly refusals: () => number;
  /**
   * Refuses the next `count` deliveries, or every one with `Infinity`: with `451` (try later) or
   * the given SMTP code (`550`: refused for good).
   */
  refuse(count: number, code?: number): void;
  /**
   * Holds every message whose DATA starts from now on (a slow server) until `release` is called;
   * `reached` resolves once a message is held. A later `hold` holds later messages on its own.
   */
  hold(): { release: () => void; reached: Promise<void> };
  /** Resolves with the first mail (already here or arriving) that matches, within `timeoutMs`. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) on loopback, on a port of its own: plain SMTP,
 * no authentication, every message parsed (`mailparser`) and kept.
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let toRefuse = 0;
  let refuseCode = 451;
  let refused = 0;
  let gate: { open: Promise<void>; arrived: () => void } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      if (toRefuse > 0) {
        toRefuse -= 1;
        refused += 1;
        stream.resume();
        stream.on('end', () => {
          const text = refuseCode >= 500 ? 'Mailbox unavailable' : 'Mailbox busy, try later';
          const error = Object.assign(new Error(text), { responseCode: refuseCode });
          callback(error);
        });
        return;
      }
      const held = gate;
      held?.arrived();
      (held?.open ?? Promise.resolve())
        .then(() => simpleParser(stream))
        .then((parsed) => {
          received.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId,
            parsed,
          });
          for (const wake of waiters) wake();
          callback();
        })
        .catch((error: unknown) => {
          callback(error as Error);
        });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('SMTP server not on TCP');
  return {
    url: `smtp://127.0.0.1:${String(address.port)}`,
    received,
    refusals: () => refused,
    hold() {
      let release = (): void => undefined;
      let arrived = (): void => undefined;
      const reached = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const open = new Promise<void>((resolve) => {
        release = resolve;
      });
      gate = { open, arrived };
      return {
        release: () => {
          release();
        },
        reached,
      };
    },
    refuse(count, code = 451) {
      toRefuse = count;
      refuseCode = code;
    },
    waitFor(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = received.find(match);
          if (found === undefined) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no matching mail within ${String(timeoutMs)} ms`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** The first link of a mail's text that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const link = mail.text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (link === undefined) throw new Error(`no ${prefix} link in "${mail.subject}"`);
  return link;
}
