/**
 * The API's request and response shapes, written once from `shared/contract.md` (v1) and used by
 * every app. Field names, status values and error codes here are the contract's; change them only
 * together with the backend.
 */

export type AppName = 'customer' | 'bartender' | 'admin';
export type Role = 'customer' | 'bartender' | 'admin';

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'INVALID_CREDENTIALS',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'SESSION_REVOKED',
  'REFRESH_INVALID',
  'REFRESH_REUSED',
  'ROLE_NOT_ALLOWED',
  'ACCOUNT_DISABLED',
  'FORBIDDEN',
  'NOT_FOUND',
  'UNSUPPORTED_MEDIA_TYPE',
  'EMAIL_TAKEN',
  'VERSION_CONFLICT',
  'INVALID_TRANSITION',
  'ITEM_UNAVAILABLE',
  'OUT_OF_STOCK',
  'LAST_ADMIN',
  'SESSION_LIMIT',
  'IDEMPOTENCY_MISMATCH',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Every error body: `{statusCode, code, message, details?}`. */
export interface ApiErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface AuthSessionSummary {
  id: string;
  app: AppName;
  expiresAt: string;
}

/** `POST /api/auth/login` and `POST /api/auth/refresh`. */
export interface AuthResponse {
  tokenType: 'Bearer';
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken?: string;
  user: User;
  session: AuthSessionSummary;
}

export interface RegisterRequest {
  email: string;
  password: string;
  name: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

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

/** `GET /api/sessions` items. */
export interface SessionView {
  id: string;
  app: AppName;
  userAgent: string | null;
  device: string;
  ip: string | null;
  createdAt: string;
  lastActiveAt: string;
  expiresAt: string;
  current: boolean;
}

export interface AdminSessionView extends SessionView {
  user: Pick<User, 'id' | 'email' | 'name' | 'role'>;
}

export interface AdminUserView extends User {
  active: boolean;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface MenuItem {
  id: string;
  name: string;
  description: string | null;
  category: string;
  priceCents: number;
  available: boolean;
  /** `null` is unlimited, `0` is sold out. */
  stock: number | null;
  allergens: string[];
}

export const ORDER_STATUSES = [
  'pending',
  'accepted',
  'preparing',
  'ready',
  'completed',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

interface PersonRef {
  id: string;
  name: string;
}

interface OrderLine {
  menuItemId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  note: string | null;
}

interface OrderHistoryEntry {
  status: OrderStatus;
  at: string;
  by: PersonRef & { role: Role };
}

export interface Order {
  id: string;
  number: number;
  customer: PersonRef;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  tableNumber: number | null;
  note: string | null;
  assignee: PersonRef | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  history: OrderHistoryEntry[];
  cancelReason: string | null;
}

/** `POST /api/orders` body (sent with an `Idempotency-Key` header). */
export interface CreateOrderRequest {
  items: { menuItemId: string; quantity: number; note?: string }[];
  tableNumber?: number;
  note?: string;
}

export interface OrderListQuery {
  status?: OrderStatus;
  from?: string;
  to?: string;
  page?: number;
  limit?: number;
}

/** What `GET /api/events` sends, by event name. */
export interface LiveEventMap {
  'order.created': Order;
  'order.updated': Order;
  'menu.updated': Record<string, never>;
  'session.revoked': { sessionId: string; reason: RevocationReason };
  resync: Record<string, never>;
}
export type LiveEventName = keyof LiveEventMap;
export type LiveEvent = {
  [K in LiveEventName]: { type: K; id: string | undefined; data: LiveEventMap[K] };
}[LiveEventName];
