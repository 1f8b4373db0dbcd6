/** Why a session ended (contract: Sessions). */
export const REVOCATION_REASONS = [
  'logout',
  'logout_all',
  'evicted',
  'admin',
  'password_changed',
  'role_changed',
  'deactivated',
  'reuse_detected',
  'expired',
  'password_reset',
] as const;

export type RevocationReason = (typeof REVOCATION_REASONS)[number];
