import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AccountLinks } from './account-links.js';
import { MailRetention } from './mail-retention.js';
import { MailService } from './mail.service.js';
import { NewDeviceNotices } from './new-device-notices.js';

/**
 * Mail: the outbox and its job ({@link MailService}), the single-use tokens mails link to
 * ({@link AccountLinks}), the new-device notices, hooked into the start of every session, and
 * the purge of what mail leaves behind ({@link MailRetention}).
 */
@Module({
  imports: [SessionsModule],
  providers: [MailService, AccountLinks, NewDeviceNotices, MailRetention],
  exports: [MailService, AccountLinks, NewDeviceNotices],
})
export class MailModule {}
