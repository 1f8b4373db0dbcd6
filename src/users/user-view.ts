import type { UserEntity } from './entities/user.entity.js';
import type { Role } from './role.js';

/** The user as the API shows it to the user themself. */
export interface UserView {
  id: string;
  /** Null for a guest, who has none. */
  email: string | null;
  name: string;
  role: Role;
  /** A guest's table; null for everyone else. */
  tableNumber: number | null;
  /** Whether signing in asks for a code from an authenticator app after the password. */
  twoFactorEnabled: boolean;
}

export function toUserView(user: UserEntity): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    tableNumber: user.tableNumber,
    twoFactorEnabled: user.twoFactorEnabled,
  };
}
