import type { AuditEventType } from './audit-event-type.js';

/** The people an entry names, as the summary calls them. */
export interface SummaryPeople {
  /** Whom the entry is about (`userId`); null when no account is known. */
  readonly user: { readonly name: string } | null;
  /** Who did it; null when no one signed in did (a failed sign-in, the system). */
  readonly actor: { readonly name: string } | null;
}

export interface SummaryInput {
  readonly type: AuditEventType;
  readonly details: Record<string, unknown>;
}

/** Prices are cents of the euro everywhere for now (the apps show €); not configurable yet. */
const CURRENCY = 'EUR';
const MONEY = new Intl.NumberFormat('en', { style: 'currency', currency: CURRENCY });

/** Menu fields as a manager calls them. */
const FIELD_LABELS: Record<string, string> = {
  name: 'name',
  description: 'description',
  category: 'category',
  priceCents: 'price',
  allergens: 'allergens',
  station: 'station',
  sortOrder: 'position',
  vatRateBasisPoints: 'VAT rate',
  optionGroups: 'options',
};

/** Option groups as a manager reads them: `Size (Pint, Half pint); Extras (Bacon)`. */
function optionGroupsText(value: unknown): string {
  if (!Array.isArray(value)) return '?';
  if (value.length === 0) return 'none';
  return value
    .map((entry) => {
      const group = record(entry);
      const options = Array.isArray(group.options) ? group.options : [];
      const names = options
        .map((option) => text(option) ?? text(record(option).name) ?? '?')
        .join(', ');
      return `${text(group.name) ?? '?'} (${names})`;
    })
    .join('; ');
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const number = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function minutes(seconds: unknown): string {
  const value = number(seconds);
  if (value === undefined) return '?';
  return value % 60 === 0 ? `${String(value / 60)} min` : `${String(value)} s`;
}

/**
 * One readable sentence per audit entry ("Sam Lee changed Pilsner's price from €5.00 to €5.50"),
 * from its type, its details and the names of the people it concerns. Pure; every type has its
 * sentence (a new type fails to compile here until it has one).
 */
export function auditSummary(entry: SummaryInput, people: SummaryPeople): string {
  const details = entry.details;
  const user = people.user?.name ?? 'An account that no longer exists';
  const actor = people.actor?.name ?? 'Someone';
  const item = text(details.name) ?? 'an item';
  const money = (value: unknown): string => {
    const cents = number(value);
    if (cents === undefined) return '?';
    return MONEY.format(cents / 100);
  };
  const shown = (field: string, value: unknown): string => {
    if (field === 'priceCents') return money(value);
    if (field === 'optionGroups') return optionGroupsText(value);
    if (field === 'vatRateBasisPoints') {
      const rate = number(value);
      return rate === undefined ? '?' : `${String(rate / 100)} %`;
    }
    if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
    if (value === null || value === undefined || value === '') return 'nothing';
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  const app = text(details.app);
  const inApp = app === undefined ? '' : ` to the ${app} app`;
  const order = `order ${String(number(details.number) ?? '?')}`;
  const tableNumber = String(number(details.number) ?? '?');
  const tableLabel = text(details.label);
  const table = `table ${tableNumber}${tableLabel === undefined ? '' : ` (${tableLabel})`}`;

  switch (entry.type) {
    case 'login_succeeded': {
      const evicted = Array.isArray(details.evicted) ? details.evicted.length : 0;
      return evicted > 0
        ? `${user} signed in${inApp}, which signed out ${String(evicted)} other device${evicted === 1 ? '' : 's'}`
        : `${user} signed in${inApp}`;
    }
    case 'login_failed':
      if (details.reason === 'change_password') {
        return `${user} gave a wrong current password when changing it`;
      }
      if (details.reason === 'totp') {
        return `A sign-in${inApp} as ${user} failed: wrong two-factor code`;
      }
      if (details.reason === 'two_factor_setup') {
        return `${user} gave a wrong password when setting up two-factor sign-in`;
      }
      if (details.reason === 'two_factor_disable') {
        return `${user} gave a wrong password or code when turning two-factor sign-in off`;
      }
      return people.user === null
        ? `A sign-in${inApp} as ${text(details.email) ?? 'an unknown address'} failed: no such account`
        : `A sign-in${inApp} as ${user} failed: wrong password`;
    case 'login_rate_limited':
      return `Sign-ins as ${text(details.email) ?? people.user?.name ?? 'an unknown address'} were paused for ${minutes(details.retryAfterSeconds)} after too many failures`;
    case 'login_denied':
      return details.code === 'ACCOUNT_DISABLED'
        ? `${user} gave the right password, but the account is deactivated`
        : `${user} gave the right password, but may not use the ${app ?? 'requested'} app`;
    case 'refresh_reused':
      return `An old sign-in token of ${user} was used again; the session was ended`;
    case 'session_revoked':
      switch (details.reason) {
        case 'logout':
          return `${user} signed out`;
        case 'logout_all':
          return `${user} signed out of a session with "sign out everywhere"`;
        case 'evicted':
          return `${user} was signed out of a session by signing in on another device`;
        case 'admin':
          return `${actor} ended a session of ${user}`;
        case 'password_changed':
          return `${user} was signed out of a session after a password change`;
        case 'role_changed':
          return `${user} was signed out of a session after a role change`;
        case 'deactivated':
          return `${user} was signed out of a session on deactivation`;
        case 'reuse_detected':
          return `A session of ${user} was ended: its sign-in token was used twice`;
        case 'expired':
          return `A session of ${user} expired`;
        case 'password_reset':
          return `${user} was signed out of a session after a password reset`;
        default:
          return `A session of ${user} ended`;
      }
    case 'password_changed':
      return details.byAdmin === true
        ? `${actor} set a new password for ${user}`
        : `${user} changed their password`;
    case 'password_reset_requested':
      return `${user} asked for a password reset link by mail`;
    case 'password_reset':
      return `${user} set a new password with a reset link from a mail`;
    case 'signed_out_everywhere':
      return `${user} signed out everywhere with the link of a new sign-in notice`;
    case 'user_created':
      if (details.upgradedFromGuest === true) {
        return `${user} turned their guest visit into a customer account`;
      }
      return details.selfRegistered === true
        ? `${user} registered`
        : `${actor} created ${user}'s account (${text(details.role) ?? 'no role'})`;
    case 'user_role_changed':
      return `${actor} changed ${user}'s role from ${text(details.from) ?? '?'} to ${text(details.to) ?? '?'}`;
    case 'user_deactivated':
      return `${actor} deactivated ${user}`;
    case 'user_reactivated':
      return `${actor} re-activated ${user}`;
    case 'menu_item_created':
      return `${actor} added ${item} to the menu`;
    case 'menu_item_updated': {
      const before = record(details.before);
      const after = record(details.after);
      if (after.archived === false) return `${actor} brought ${item} back from the archive`;
      const fields = Object.keys(after).filter((field) => field in FIELD_LABELS);
      const changes = fields.map(
        (field) =>
          `${FIELD_LABELS[field] ?? field} from ${shown(field, before[field])} to ${shown(field, after[field])}`,
      );
      if (changes.length === 1) return `${actor} changed ${item}'s ${changes[0] ?? ''}`;
      return `${actor} changed ${item}: ${changes.join('; ')}`;
    }
    case 'menu_item_archived':
      return `${actor} archived ${item}`;
    case 'menu_availability_changed': {
      const option = text(details.option);
      if (option !== undefined) {
        return details.to === false
          ? `${actor} took ${option} (${item}) off the menu (86)`
          : `${actor} put ${option} (${item}) back on the menu`;
      }
      return details.to === false
        ? `${actor} took ${item} off the menu (86)`
        : `${actor} put ${item} back on the menu`;
    }
    case 'stock_changed': {
      const from = details.from === null ? 'unlimited' : String(number(details.from) ?? '?');
      const to = details.to === null ? 'unlimited' : String(number(details.to) ?? '?');
      const delta = number(details.delta);
      return delta === undefined
        ? `${actor} set ${item}'s stock from ${from} to ${to}`
        : `${actor} ${delta > 0 ? 'restocked' : 'took stock from'} ${item}: ${delta > 0 ? '+' : ''}${String(delta)} (${from} → ${to})`;
    }
    case 'order_status_changed':
      return `${actor} moved ${order} from ${text(details.from) ?? '?'} to ${text(details.to) ?? '?'}`;
    case 'order_cancelled': {
      const reason = text(details.reason);
      return `${actor} cancelled ${order}${reason === undefined ? '' : ` (${reason})`}`;
    }
    case 'payment_recorded': {
      const tip = number(details.tipCents) ?? 0;
      const method = text(details.method) ?? '?';
      const onTab = details.tab === true ? ' (tab payment)' : '';
      return `${actor} took ${money(details.amountCents)} by ${method} for ${order}${tip > 0 ? ` plus a ${money(tip)} tip` : ''}${onTab}`;
    }
    case 'refund_recorded': {
      const reason = text(details.reason);
      return `${actor} refunded ${money(details.amountCents)} of ${order} by ${text(details.method) ?? '?'}${reason === undefined ? '' : ` (${reason})`}`;
    }
    case 'venue_settings_changed': {
      const after = record(details.after);
      return `${actor} set the bar's ticket colours: amber after ${minutes(after.ticketAmberAfterSeconds)}, red after ${minutes(after.ticketRedAfterSeconds)}`;
    }
    case 'table_created':
      return `${actor} added ${table}`;
    case 'table_relabelled':
      return text(details.label) === undefined
        ? `${actor} removed the label of table ${tableNumber}`
        : `${actor} labelled table ${tableNumber} "${text(details.label) ?? ''}"`;
    case 'table_token_rotated':
      return `${actor} gave ${table} a new QR code; the old one no longer works`;
    case 'table_deleted':
      return `${actor} deleted ${table}`;
    case 'api_token_created': {
      const scopes = Array.isArray(details.scopes) ? details.scopes.map(String).join(', ') : '?';
      return `${actor} created the API token "${item}" (${scopes})`;
    }
    case 'api_token_revoked':
      switch (details.reason) {
        case 'owner_deactivated':
          return `${user}'s API token "${item}" was revoked: ${user} was deactivated`;
        case 'owner_demoted':
          return `${user}'s API token "${item}" was revoked: ${user} is no longer an admin`;
        case 'owner_password_reset':
          return `${user}'s API token "${item}" was revoked: ${user} reset their password`;
        case 'owner_signed_out_everywhere':
          return `${user}'s API token "${item}" was revoked: ${user} signed out everywhere`;
        default:
          return `${actor} revoked the API token "${item}"`;
      }
    case 'two_factor_enabled':
      return `${user} turned on two-factor sign-in`;
    case 'two_factor_disabled':
      return `${user} turned off two-factor sign-in`;
    case 'two_factor_reset':
      return `${actor} reset ${user}'s two-factor sign-in and signed them out everywhere`;
    case 'two_factor_recovery_code_used': {
      const left = number(details.remaining);
      return `${user} signed in${inApp} with a recovery code (${left === undefined ? '?' : String(left)} left)`;
    }
  }
}

/**
 * Who did what an entry records: `details.actorId` where someone acted on another (an admin), else
 * the person the entry is about when they did it themselves (a sign-in, a menu change, a move of
 * an order), and no one for what nobody signed in did (a failed sign-in, a reused token, a
 * session that expired or was ended by the system).
 */
export function actorIdOf(entry: {
  readonly type: AuditEventType;
  readonly userId: string | null;
  readonly details: Record<string, unknown>;
}): string | null {
  const explicit = text(entry.details.actorId);
  if (explicit !== undefined) return explicit;
  switch (entry.type) {
    case 'login_failed':
    case 'login_rate_limited':
    case 'refresh_reused':
    case 'password_reset_requested': // anyone who knows the address can ask for a link
      return null;
    case 'session_revoked':
      return entry.details.reason === 'logout' || entry.details.reason === 'logout_all'
        ? entry.userId
        : null;
    // What the person the entry is about did themselves (an admin's doing names actorId).
    case 'login_succeeded':
    case 'login_denied':
    case 'password_changed':
    case 'password_reset':
    case 'signed_out_everywhere':
    case 'user_created':
    case 'user_role_changed':
    case 'user_deactivated':
    case 'user_reactivated':
    case 'menu_item_created':
    case 'menu_item_updated':
    case 'menu_item_archived':
    case 'menu_availability_changed':
    case 'stock_changed':
    case 'order_status_changed':
    case 'order_cancelled':
    case 'payment_recorded':
    case 'refund_recorded':
    case 'venue_settings_changed':
    case 'table_created':
    case 'table_relabelled':
    case 'table_token_rotated':
    case 'table_deleted':
    case 'api_token_created':
    case 'two_factor_enabled':
    case 'two_factor_disabled':
    case 'two_factor_recovery_code_used':
      return entry.userId;
    // Only ever an admin's doing, which names actorId.
    case 'two_factor_reset':
      return null;
    // Revoked with its owner's access: the system did it (the admin's change is its own entry).
    case 'api_token_revoked':
      return entry.details.reason === 'revoked' ? entry.userId : null;
  }
}
