/**
 * Every kind of audit event. The list grows (staff order actions come later): add the new type
 * here, and the database, the query filter and the OpenAPI enum follow.
 */
export const AUDIT_EVENT_TYPES = [
  'login_succeeded',
  'login_failed',
  'login_rate_limited',
  'login_denied',
  'refresh_reused',
  'session_revoked',
  'password_changed',
  'password_reset_requested',
  'password_reset',
  'signed_out_everywhere',
  'user_created',
  'user_role_changed',
  'user_deactivated',
  'user_reactivated',
  'menu_item_created',
  'menu_item_updated',
  'menu_item_archived',
  'menu_availability_changed',
  'stock_changed',
  'order_status_changed',
  'order_cancelled',
  'payment_recorded',
  'refund_recorded',
  'venue_settings_changed',
  'table_created',
  'table_relabelled',
  'table_token_rotated',
  'table_deleted',
  'api_token_created',
  'api_token_revoked',
  'two_factor_enabled',
  'two_factor_disabled',
  'two_factor_reset',
  'two_factor_recovery_code_used',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
