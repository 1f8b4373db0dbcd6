import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { selectRows } from '../database/sql-rows.js';
import { EventOutbox } from '../events/event-outbox.js';
import type { UpdateVenueDto } from './dto/update-venue.dto.js';
import type { VenueView } from './venue-view.js';

interface TicketAges {
  ticketAmberAfterSeconds: number;
  ticketRedAfterSeconds: number;
}

const TICKET_AGE_COLUMNS = `ticket_amber_after_seconds AS "ticketAmberAfterSeconds",
       ticket_red_after_seconds AS "ticketRedAfterSeconds"`;

/**
 * The venue's settings: what configuration fixes (stations, the recall window, the service mode) and what an admin
 * sets in the console (when a ticket turns amber and red), kept in one row of `venue_settings`.
 * A change is audited and announced to every app (`venue.updated`).
 */
@Injectable()
export class VenueService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<VenueView> {
    return this.view(await this.ticketAges(this.dataSource.manager, false));
  }

  /** Changes the ticket age thresholds; amber must stay below red, whichever is sent. */
  update(input: UpdateVenueDto, actor: Actor): Promise<VenueView> {
    return this.outbox.transaction(async (tx) => {
      const before = await this.ticketAges(tx.manager, true);
      const after: TicketAges = {
        ticketAmberAfterSeconds: input.ticketAmberAfterSeconds ?? before.ticketAmberAfterSeconds,
        ticketRedAfterSeconds: input.ticketRedAfterSeconds ?? before.ticketRedAfterSeconds,
      };
      if (after.ticketAmberAfterSeconds >= after.ticketRedAfterSeconds) {
        const field =
          input.ticketRedAfterSeconds === undefined
            ? 'ticketAmberAfterSeconds'
            : 'ticketRedAfterSeconds';
        const message = 'A ticket must turn amber before it turns red.';
        throw new AppError(ErrorCode.VALIDATION_FAILED, message, [{ field, errors: [message] }]);
      }
      if (
        after.ticketAmberAfterSeconds === before.ticketAmberAfterSeconds &&
        after.ticketRedAfterSeconds === before.ticketRedAfterSeconds
      ) {
        return this.view(before);
      }
      await tx.manager.query(
        `UPDATE venue_settings
            SET ticket_amber_after_seconds = $1, ticket_red_after_seconds = $2, updated_at = now()
          WHERE id = 1`,
        [after.ticketAmberAfterSeconds, after.ticketRedAfterSeconds],
      );
      await this.audit.record(
        {
          type: 'venue_settings_changed',
          userId: actor.userId,
          sessionId: actor.sessionId,
          ip: actor.ip,
          details: { actorId: actor.userId, before, after },
        },
        tx.manager,
      );
      tx.emit({ type: 'venue.updated' });
      return this.view(after);
    });
  }

  private async ticketAges(manager: EntityManager, lock: boolean): Promise<TicketAges> {
    const [row] = await selectRows<TicketAges>(
      manager,
      `SELECT ${TICKET_AGE_COLUMNS} FROM venue_settings WHERE id = 1${lock ? ' FOR UPDATE' : ''}`,
    );
    if (!row) throw new Error('venue_settings has no row: the migrations did not run');
    return row;
  }

  private view(ages: TicketAges): VenueView {
    return {
      stations: [...this.config.stations],
      recallWindowSeconds: this.config.recallWindowSeconds,
      serviceMode: this.config.serviceMode,
      ...ages,
    };
  }
}
