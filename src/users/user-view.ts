import type { UserEntity } from './entities/user.entity.js';
import type { Role } from './role.js';

/** The user as the API shows it to the user themself. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export function toUserView(user: UserEntity): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
