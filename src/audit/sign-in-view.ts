import type { AuditEventEntity } from './entities/audit-event.entity.js';

/** How many sign-ins "Recent sign-ins" shows. */
export const RECENT_SIGN_INS_LIMIT = 50;

/** One sign-in attempt of the caller's account, as "Recent sign-ins" shows it. */
export interface SignInView {
  at: string;
  /** A readable label such as "Chrome on Android"; "Unknown device" for entries without one. */
  device: string;
  ip: string | null;
  succeeded: boolean;
}

/** A `login_succeeded` or `login_failed` entry as a sign-in; nothing else of its details. */
export function toSignInView(event: AuditEventEntity): SignInView {
  const device = event.details.device;
  return {
    at: event.at.toISOString(),
    device: typeof device === 'string' && device !== '' ? device : 'Unknown device',
    ip: event.ip,
    succeeded: event.type === 'login_succeeded',
  };
}
