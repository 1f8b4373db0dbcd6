import { describe, expect, it } from '@jest/globals';
import { AUDIT_EVENT_TYPES, type AuditEventType } from './audit-event-type.js';
import { actorIdOf, auditSummary } from './audit-summary.js';

const SAM = { name: 'Sam Lee' };
const ALEX = { name: 'Alex Morgan' };
const people = { user: SAM, actor: ALEX };

/** What each type records, as the services write it, and the sentence a manager reads. */
const EXAMPLES: Record<AuditEventType, [Record<string, unknown>, string]> = {
  login_succeeded: [
    { app: 'admin', evicted: ['s1'] },
    'Sam Lee signed in to the admin app, which signed out 1 other device',
  ],
  login_failed: [
    { app: 'bartender', email: 'sam@example.com' },
    'A sign-in to the bartender app as Sam Lee failed: wrong password',
  ],
  login_rate_limited: [
    { email: 'sam@example.com', retryAfterSeconds: 60 },
    'Sign-ins as sam@example.com were paused for 1 min after too many failures',
  ],
  login_denied: [
    { app: 'admin', code: 'ROLE_NOT_ALLOWED' },
    'Sam Lee gave the right password, but may not use the admin app',
  ],
  refresh_reused: [{}, 'An old sign-in token of Sam Lee was used again; the session was ended'],
  session_revoked: [{ reason: 'admin', actorId: 'a' }, 'Alex Morgan ended a session of Sam Lee'],
  password_changed: [{ byAdmin: true, actorId: 'a' }, 'Alex Morgan set a new password for Sam Lee'],
  password_reset_requested: [{}, 'Sam Lee asked for a password reset link by mail'],
  password_reset: [{}, 'Sam Lee set a new password with a reset link from a mail'],
  signed_out_everywhere: [
    { sessions: 2 },
    'Sam Lee signed out everywhere with the link of a new sign-in notice',
  ],
  user_created: [
    { role: 'bartender', actorId: 'a' },
    "Alex Morgan created Sam Lee's account (bartender)",
  ],
  user_role_changed: [
    { from: 'bartender', to: 'admin' },
    "Alex Morgan changed Sam Lee's role from bartender to admin",
  ],
  user_deactivated: [{}, 'Alex Morgan deactivated Sam Lee'],
  user_reactivated: [{}, 'Alex Morgan re-activated Sam Lee'],
  menu_item_created: [{ name: 'Pilsner' }, 'Alex Morgan added Pilsner to the menu'],
  menu_item_updated: [
    {
      name: 'Pilsner',
      before: { priceCents: 500, allergens: [] },
      after: { priceCents: 550, allergens: ['gluten'] },
    },
    'Alex Morgan changed Pilsner: price from €5.00 to €5.50; allergens from none to gluten',
  ],
  menu_item_archived: [{ name: 'Pilsner' }, 'Alex Morgan archived Pilsner'],
  menu_availability_changed: [
    { name: 'Pilsner', from: true, to: false },
    'Alex Morgan took Pilsner off the menu (86)',
  ],
  stock_changed: [
    { name: 'Pilsner', from: 12, to: 36, delta: 24 },
    'Alex Morgan restocked Pilsner: +24 (12 → 36)',
  ],
  order_status_changed: [
    { number: 42, from: 'completed', to: 'ready' },
    'Alex Morgan moved order 42 from completed to ready',
  ],
  order_cancelled: [
    { number: 42, reason: 'Out of stock' },
    'Alex Morgan cancelled order 42 (Out of stock)',
  ],
  payment_recorded: [
    { number: 42, method: 'card', amountCents: 1250, tipCents: 150 },
    'Alex Morgan took €12.50 by card for order 42 plus a €1.50 tip',
  ],
  refund_recorded: [
    { number: 42, method: 'cash', amountCents: 500, reason: 'Spilled drink' },
    'Alex Morgan refunded €5.00 of order 42 by cash (Spilled drink)',
  ],
  venue_settings_changed: [
    { after: { ticketAmberAfterSeconds: 240, ticketRedAfterSeconds: 600 } },
    "Alex Morgan set the bar's ticket colours: amber after 4 min, red after 10 min",
  ],
  table_created: [{ number: 7, label: 'Window' }, 'Alex Morgan added table 7 (Window)'],
  table_relabelled: [
    { number: 7, label: 'Terrace', from: 'Window' },
    'Alex Morgan labelled table 7 "Terrace"',
  ],
  table_token_rotated: [
    { number: 7, label: null },
    'Alex Morgan gave table 7 a new QR code; the old one no longer works',
  ],
  table_deleted: [{ number: 7, label: null }, 'Alex Morgan deleted table 7'],
  api_token_created: [
    { name: 'Stock sync', scopes: ['menu:read', 'menu:write'], expiresAt: null },
    'Alex Morgan created the API token "Stock sync" (menu:read, menu:write)',
  ],
  api_token_revoked: [
    { name: 'Stock sync', reason: 'revoked' },
    'Alex Morgan revoked the API token "Stock sync"',
  ],
  two_factor_enabled: [{}, 'Sam Lee turned on two-factor sign-in'],
  two_factor_disabled: [{}, 'Sam Lee turned off two-factor sign-in'],
  two_factor_reset: [
    { actorId: 'x', wasEnabled: true },
    "Alex Morgan reset Sam Lee's two-factor sign-in and signed them out everywhere",
  ],
  two_factor_recovery_code_used: [
    { app: 'admin', remaining: 9 },
    'Sam Lee signed in to the admin app with a recovery code (9 left)',
  ],
};

describe('audit summaries', () => {
  it.each(AUDIT_EVENT_TYPES)('say %s as one sentence', (type) => {
    const [details, sentence] = EXAMPLES[type];
    expect(auditSummary({ type, details }, people)).toBe(sentence);
  });

  it('say a single field change as "changed X\'s field from … to …"', () => {
    expect(
      auditSummary(
        {
          type: 'menu_item_updated',
          details: { name: 'Pilsner', before: { priceCents: 500 }, after: { priceCents: 550 } },
        },
        people,
      ),
    ).toBe("Alex Morgan changed Pilsner's price from €5.00 to €5.50");
  });

  it('say a guest upgrade as the guest making their own account', () => {
    expect(
      auditSummary(
        { type: 'user_created', details: { role: 'customer', upgradedFromGuest: true } },
        people,
      ),
    ).toBe('Sam Lee turned their guest visit into a customer account');
  });

  it('tell a wrong current password at a password change from a failed sign-in', () => {
    expect(
      auditSummary(
        { type: 'login_failed', details: { email: 'sam@example.com', reason: 'change_password' } },
        people,
      ),
    ).toBe('Sam Lee gave a wrong current password when changing it');
  });

  it('never say "undefined" for missing details or people', () => {
    for (const type of AUDIT_EVENT_TYPES) {
      const sentence = auditSummary({ type, details: {} }, { user: null, actor: null });
      expect(sentence).not.toMatch(/undefined|null|\[object/);
      expect(sentence.length).toBeGreaterThan(10);
    }
  });

  it('name who acted: the admin, the person themselves, or no one', () => {
    const entry = (type: AuditEventType, details: Record<string, unknown>) => ({
      type,
      userId: 'u',
      details,
    });
    expect(actorIdOf(entry('user_role_changed', { actorId: 'a' }))).toBe('a');
    expect(actorIdOf(entry('menu_item_updated', {}))).toBe('u');
    expect(actorIdOf(entry('login_failed', {}))).toBeNull();
    expect(actorIdOf(entry('session_revoked', { reason: 'logout' }))).toBe('u');
    expect(actorIdOf(entry('session_revoked', { reason: 'expired' }))).toBeNull();
  });
});
