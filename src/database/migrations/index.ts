import { CreateUsers1732700000000 } from './1732700000000-create-users.js';
import { CreateSessions1732700100000 } from './1732700100000-create-sessions.js';
import { CreateAuditEvents1732700300000 } from './1732700300000-create-audit-events.js';
import { CreateMenuAndOrders1732700500000 } from './1732700500000-create-menu-and-orders.js';
import { CreateEventLog1732700700000 } from './1732700700000-create-event-log.js';
import { CanonicalEmailsAndCredentialVersions1733000000000 } from './1733000000000-canonical-emails-and-credential-versions.js';
import { OrderLinesStockTaken1733000100000 } from './1733000100000-order-lines-stock-taken.js';
import { BarInARush1733100000000 } from './1733100000000-bar-in-a-rush.js';
import { TablesAndGuests1733200000000 } from './1733200000000-tables-and-guests.js';
import { PushSubscriptions1733300000000 } from './1733300000000-push-subscriptions.js';
import { ApiTokens1733400000000 } from './1733400000000-api-tokens.js';
import { RememberMeAndSignIns1733410000000 } from './1733410000000-remember-me-and-sign-ins.js';
import { MailOutbox1733500000000 } from './1733500000000-mail-outbox.js';
import { PasswordResetAndKnownDevices1733510000000 } from './1733510000000-password-reset-and-known-devices.js';
import { MailLinkVersionsAndRetention1733520000000 } from './1733520000000-mail-link-versions-and-retention.js';
import { TwoFactor1733600000000 } from './1733600000000-two-factor.js';
import { OptionsAndVat1733700000000 } from './1733700000000-options-and-vat.js';
import { OrderPayments1733710000000 } from './1733710000000-order-payments.js';
import { ListIndexes1733800000000 } from './1733800000000-list-indexes.js';
import { AuditAtAYear1733810000000 } from './1733810000000-audit-at-a-year.js';
import { UsersNewestFirst1733830000000 } from './1733830000000-users-newest-first.js';
import { ReportDays1733840000000 } from './1733840000000-report-days.js';
import { OrdersByLastChange1733850000000 } from './1733850000000-orders-by-last-change.js';
import { NamesComposed1733860000000 } from './1733860000000-names-composed.js';

/** Every migration, in the order it runs. Append only; never reorder or edit a shipped one. */
export const MIGRATIONS = [
  CreateUsers1732700000000,
  CreateSessions1732700100000,
  CreateAuditEvents1732700300000,
  CreateMenuAndOrders1732700500000,
  CreateEventLog1732700700000,
  CanonicalEmailsAndCredentialVersions1733000000000,
  OrderLinesStockTaken1733000100000,
  BarInARush1733100000000,
  TablesAndGuests1733200000000,
  PushSubscriptions1733300000000,
  ApiTokens1733400000000,
  RememberMeAndSignIns1733410000000,
  MailOutbox1733500000000,
  PasswordResetAndKnownDevices1733510000000,
  MailLinkVersionsAndRetention1733520000000,
  TwoFactor1733600000000,
  OptionsAndVat1733700000000,
  OrderPayments1733710000000,
  ListIndexes1733800000000,
  AuditAtAYear1733810000000,
  UsersNewestFirst1733830000000,
  ReportDays1733840000000,
  OrdersByLastChange1733850000000,
  NamesComposed1733860000000,
];
