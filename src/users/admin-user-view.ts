import type { AdminUserDto } from './dto/admin-users.dto.js';
import type { UserEntity } from './entities/user.entity.js';

export function toAdminUserView(user: UserEntity): AdminUserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    tableNumber: user.tableNumber,
    active: user.active,
    twoFactorEnabled: user.twoFactorEnabled,
    createdAt: user.createdAt.toISOString(),
  };
}
