/** Why a session ended (contract: Sessions). */
export type RevocationReason =
  | 'logout'
  | 'logout_all'
  | 'evicted'
  | 'admin'
  | 'password_changed'
  | 'role_changed'
  | 'deactivated'
  | 'reuse_detected'
  | 'expired';
