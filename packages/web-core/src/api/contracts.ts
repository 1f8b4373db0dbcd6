/**
 * The API's request and response shapes, as the apps use them: every one is a type generated
 * from the server's OpenAPI document (`generated/types.gen.ts`, written by `npm run api:types`
 * and checked by a test), so a field added or changed on the server changes these, and the
 * compiler shows every place that must handle it. Written here: which event of the live stream
 * carries which data, and the lists of values the apps iterate.
 */
import type {
  ApiTokenViewDto,
  CreateApiTokenDto,
  CreatedApiTokenDto,
  AuditEventDto,
  AuditPageDto,
  AuditEventType as GeneratedAuditEventType,
  CreateUserDto,
  RevocationReason as GeneratedRevocationReason,
  SalesReport as GeneratedSalesReport,
  ServiceReport as GeneratedServiceReport,
  SessionRevokedEventDto,
  UpdateMenuItemDto,
  UpdateVenueDto,
  AdminSessionViewDto,
  AdminUserDto,
  ChangePasswordDto,
  CreateOrderDto,
  ErrorResponseDto,
  MenuItemView,
  OrderPage as GeneratedOrderPage,
  OrderView,
  OrdersControllerListData,
  RecordPaymentDto,
  RecordRefundDto,
  TabPaymentDto,
  TabView,
  PushKeyView,
  CreatePushSubscriptionDto,
  RegisterDto,
  SessionSummaryDto,
  SessionViewDto,
  SignInDto,
  TokenResponseDto,
  UserDto,
  VenueView,
  TableViewDto,
  CreateTableDto,
  PublicTableDto,
  GuestUpgradeDto,
  ErrorCode as GeneratedErrorCode,
  Role as GeneratedRole,
  AccountRole as GeneratedAccountRole,
} from './generated/types.gen';

export type AppName = SessionSummaryDto['app'];
export type Role = GeneratedRole;
/** The roles an admin may give: every role but `guest` (guests come from a table's QR code). */
export type AccountRole = GeneratedAccountRole;
export type ErrorCode = GeneratedErrorCode;

/**
 * Every error code, for lookups (messages per code). A record, so that a code the server adds
 * fails to compile here until it is listed.
 */
const ERROR_CODE_LIST: Record<ErrorCode, true> = {
  VALIDATION_FAILED: true,
  INVALID_CREDENTIALS: true,
  TOKEN_INVALID: true,
  TOKEN_EXPIRED: true,
  SESSION_REVOKED: true,
  REFRESH_INVALID: true,
  REFRESH_REUSED: true,
  ROLE_NOT_ALLOWED: true,
  ACCOUNT_DISABLED: true,
  FORBIDDEN: true,
  NOT_FOUND: true,
  UNSUPPORTED_MEDIA_TYPE: true,
  EMAIL_TAKEN: true,
  VERSION_CONFLICT: true,
  INVALID_TRANSITION: true,
  ITEM_UNAVAILABLE: true,
  OUT_OF_STOCK: true,
  LAST_ADMIN: true,
  SESSION_LIMIT: true,
  IDEMPOTENCY_MISMATCH: true,
  PAYLOAD_TOO_LARGE: true,
  RATE_LIMITED: true,
  INTERNAL: true,
  SERVICE_UNAVAILABLE: true,
  TABLE_UNKNOWN: true,
  TABLE_NUMBER_TAKEN: true,
  GUEST_LIMIT: true,
  MAIL_UNAVAILABLE: true,
  TOTP_REQUIRED: true,
  TOTP_INVALID: true,
  OPTIONS_INVALID: true,
  PAYMENT_EXCEEDS_BALANCE: true,
};
export const ERROR_CODES = Object.keys(ERROR_CODE_LIST) as readonly ErrorCode[];

/** Every error body: `{statusCode, code, message, details?}`. */
export type ApiErrorBody = ErrorResponseDto;

export type User = UserDto;
export type AuthSessionSummary = SessionSummaryDto;
/** `POST /api/auth/login` and `POST /api/auth/refresh`. */
export type AuthResponse = TokenResponseDto;
/** A table as the admin console manages it, with the link its QR code holds. */
export type AdminTable = TableViewDto;
export type TableBody = CreateTableDto;
/** What a table's QR token tells anyone holding it. */
export type PublicTable = PublicTableDto;
export type GuestUpgradeRequest = GuestUpgradeDto;
/** An admin's API token as its list shows it (never the token itself). */
export type ApiToken = ApiTokenViewDto;
/** `201` of `POST /api/tokens`: the only answer that holds the token. */
export type CreatedApiToken = CreatedApiTokenDto;
export type ApiTokenBody = CreateApiTokenDto;
export type ApiTokenScope = CreateApiTokenDto['scopes'][number];
export type RegisterRequest = RegisterDto;
export type ChangePasswordRequest = ChangePasswordDto;

/** Why a session ended (the `reason` of `session.revoked`). */
export type RevocationReason = GeneratedRevocationReason;

/** `GET /api/sessions` items. */
export type SessionView = SessionViewDto;
export type AdminSessionView = AdminSessionViewDto;
/** `GET /api/auth/sign-ins` items. */
export type SignInView = SignInDto;
export type AdminUserView = AdminUserDto;

/**
 * The shape of every paged list (`*PageDto`). `total` is exact up to 10,000; above that it may
 * be the server's estimate (`totalIsEstimate`): show it with `formatTotal`. The orders and the
 * audit log also answer `nextCursor` ({@link OrderPage}, {@link AuditPage}).
 */
export interface Page<T> {
  items: T[];
  total: number;
  totalIsEstimate: boolean;
}

/**
 * `GET /api/orders`: a {@link Page} of orders and `nextCursor`, which, passed as `cursor`, asks
 * for the page after it (a keyset read: the same cost at any depth, and orders placed meanwhile
 * neither repeat nor push others past it); null when this page ends the list.
 */
export type OrderPage = GeneratedOrderPage;
/** `GET /api/admin/audit`: a {@link Page} of entries and `nextCursor`, as {@link OrderPage}. */
export type AuditPage = AuditPageDto;

export type MenuItem = MenuItemView;
/** One group of choices on a menu item ("Size": min 1, max 1), in display order. */
export type MenuOptionGroup = MenuItemView['optionGroups'][number];
/** One choice of a group ("Half", −2.50), `available: false` while the bar has 86'd it. */
export type MenuOption = MenuOptionGroup['options'][number];

export type OrderStatus = OrderView['status'];
/** Every order status, in the order an order moves through them (a status the server adds fails
 * to compile here until it is placed). */
const STATUS_STEP: Record<OrderStatus, number> = {
  pending: 0,
  accepted: 1,
  preparing: 2,
  ready: 3,
  completed: 4,
  cancelled: 5,
};
export const ORDER_STATUSES = (Object.keys(STATUS_STEP) as OrderStatus[]).sort(
  (a, b) => STATUS_STEP[a] - STATUS_STEP[b],
);

export type Order = OrderView;
type OrderLine = OrderView['items'][number];
/** A choice on an order line as it was when ordered (its group's name and price included). */
export type OrderLineOption = OrderLine['options'][number];
/** One VAT rate of an order: the net and the VAT of its lines at that rate (prices include VAT). */
export type VatLine = OrderView['vat'][number];
/** `POST /api/orders` body (sent with an `Idempotency-Key` header). */
export type CreateOrderRequest = CreateOrderDto;
export type OrderListQuery = NonNullable<OrdersControllerListData['query']>;

/** How much of an order is paid (`paidCents` against `totalCents`). */
export type PaymentStatus = OrderView['paymentStatus'];
/** How a payment was taken: cash, card or other. */
export type PaymentMethod = OrderView['payments'][number]['method'];
/** `POST /api/orders/:id/payments` body (sent with an `Idempotency-Key` header). */
export type PaymentRequest = RecordPaymentDto;
/** `POST /api/orders/:id/refunds` body (admin). */
export type RefundRequest = RecordRefundDto;
/** `GET /api/tabs` and `POST /api/tabs/payments`: a table's or a customer's unpaid orders. */
export type Tab = TabView;
/** `POST /api/tabs/payments` body (sent with an `Idempotency-Key` header). */
export type TabPaymentRequest = TabPaymentDto;
/** Every way to pay, in the order the bar offers them. */
const PAYMENT_METHOD_STEP: Record<PaymentMethod, number> = { cash: 0, card: 1, other: 2 };
export const PAYMENT_METHODS = (Object.keys(PAYMENT_METHOD_STEP) as PaymentMethod[]).sort(
  (a, b) => PAYMENT_METHOD_STEP[a] - PAYMENT_METHOD_STEP[b],
);

export type PushKey = PushKeyView;
export type PushSubscriptionRequest = CreatePushSubscriptionDto;

/** What `GET /api/events` sends, by event name. */
export interface LiveEventMap {
  'order.created': Order;
  'order.updated': Order;
  'menu.updated': Record<string, never>;
  'venue.updated': Record<string, never>;
  'session.revoked': SessionRevokedEventDto;
  resync: Record<string, never>;
}
export type LiveEventName = keyof LiveEventMap;
export type LiveEvent = {
  [K in LiveEventName]: { type: K; id: string | undefined; data: LiveEventMap[K] };
}[LiveEventName];

export type AuditEvent = AuditEventDto;
export type AuditEventType = GeneratedAuditEventType;
/** Every audit event type (a type the server adds fails to compile here until it is listed). */
const AUDIT_EVENT_TYPE_LIST: Record<AuditEventType, true> = {
  login_succeeded: true,
  login_failed: true,
  login_rate_limited: true,
  login_denied: true,
  refresh_reused: true,
  session_revoked: true,
  password_changed: true,
  password_reset_requested: true,
  password_reset: true,
  signed_out_everywhere: true,
  user_created: true,
  user_role_changed: true,
  user_deactivated: true,
  user_reactivated: true,
  menu_item_created: true,
  menu_item_updated: true,
  menu_item_archived: true,
  menu_availability_changed: true,
  stock_changed: true,
  order_status_changed: true,
  order_cancelled: true,
  payment_recorded: true,
  refund_recorded: true,
  venue_settings_changed: true,
  table_created: true,
  table_relabelled: true,
  table_token_rotated: true,
  table_deleted: true,
  api_token_created: true,
  api_token_revoked: true,
  two_factor_enabled: true,
  two_factor_disabled: true,
  two_factor_reset: true,
  two_factor_recovery_code_used: true,
};
export const AUDIT_EVENT_TYPES = Object.keys(AUDIT_EVENT_TYPE_LIST) as readonly AuditEventType[];

/** How the venue works (`GET /api/venue`): stations, the recall window, ticket age colours. */
export type Venue = VenueView;
/** `PATCH /api/admin/venue`. */
export type VenueChange = UpdateVenueDto;

/** A menu item as the admin API shows it (every item has its position and archived flag). */
export type AdminMenuItem = MenuItemView;
/** `POST /api/admin/menu-items` and `PATCH …/:id` bodies. */
export type MenuItemBody = UpdateMenuItemDto;
/** One option group as the admin sends it: a group or option without `id` is new. */
export type MenuOptionGroupBody = NonNullable<UpdateMenuItemDto['optionGroups']>[number];
/** `POST /api/admin/users`. */
export type NewUser = CreateUserDto;
export type SalesReport = GeneratedSalesReport;
export type ServiceReport = GeneratedServiceReport;
