import type {
  AuthResponse,
  GuestUpgradeRequest,
  RegisterRequest,
  User,
} from '@taproom/web-core/api/contracts';
import { api } from '@/lib/session';

export async function registerCustomer(body: RegisterRequest): Promise<User> {
  const { data } = await api.post<{ user: User }>('/auth/register', body, { skipAuth: true });
  return data.user;
}

/** A guest becomes a customer in place: the answer carries an access token for the new role. */
export function upgradeGuest(body: GuestUpgradeRequest) {
  return api.post<AuthResponse>('/auth/guest/upgrade', body);
}
