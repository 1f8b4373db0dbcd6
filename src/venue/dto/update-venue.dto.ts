import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { OptionalNotNull } from '../../common/optional-not-null.js';

/** The bounds of a ticket age threshold: from one minute to two hours. */
const TICKET_AGE_BOUNDS = { min: 60, max: 7200 } as const;

/** `PATCH /api/admin/venue`: the settings an admin changes from the console. */
export class UpdateVenueDto {
  @ApiPropertyOptional({
    minimum: TICKET_AGE_BOUNDS.min,
    maximum: TICKET_AGE_BOUNDS.max,
    example: 300,
    description: 'Seconds after which a ticket turns amber; less than ticketRedAfterSeconds',
  })
  @OptionalNotNull()
  @IsInt()
  @Min(TICKET_AGE_BOUNDS.min)
  @Max(TICKET_AGE_BOUNDS.max)
  ticketAmberAfterSeconds?: number;

  @ApiPropertyOptional({
    minimum: TICKET_AGE_BOUNDS.min,
    maximum: TICKET_AGE_BOUNDS.max,
    example: 480,
    description: 'Seconds after which a ticket turns red; more than ticketAmberAfterSeconds',
  })
  @OptionalNotNull()
  @IsInt()
  @Min(TICKET_AGE_BOUNDS.min)
  @Max(TICKET_AGE_BOUNDS.max)
  ticketRedAfterSeconds?: number;
}
