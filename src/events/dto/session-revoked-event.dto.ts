import { ApiProperty } from '@nestjs/swagger';
import { REVOCATION_REASONS, type RevocationReason } from '../../sessions/revocation-reason.js';

/**
 * The data of a `session.revoked` live event, in the OpenAPI document (as an extra model: an event
 * stream has no JSON response) so that the apps' generated types know it.
 */
export class SessionRevokedEventDto {
  @ApiProperty({ format: 'uuid' })
  sessionId!: string;

  @ApiProperty({ enum: REVOCATION_REASONS, enumName: 'RevocationReason' })
  reason!: RevocationReason;
}
