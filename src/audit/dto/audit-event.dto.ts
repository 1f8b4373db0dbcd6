import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../audit-event-type.js';
import { CursorPageTotalDto } from '../../common/pagination.js';

/** The person an entry is about. */
export class AuditUserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Sam Lee' })
  name!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'sam@example.com',
    description: 'Null for a guest.',
  })
  email!: string | null;
}

/** Who did what an entry records. */
export class AuditActorDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Alex Morgan' })
  name!: string;
}

/** One audit event as the admin API shows it. */
export class AuditEventDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: AUDIT_EVENT_TYPES, enumName: 'AuditEventType' })
  type!: AuditEventType;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  userId!: string | null;

  @ApiProperty({
    type: AuditUserDto,
    nullable: true,
    description: 'Whom the entry is about; null when no account is known (or it was removed)',
  })
  user!: AuditUserDto | null;

  @ApiProperty({
    type: AuditActorDto,
    nullable: true,
    description:
      'Who did it: an admin acting on someone, or the person themselves; null for the system',
  })
  actor!: AuditActorDto | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  sessionId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({
    example: 'Sam Lee changed Pilsner’s price from €5.00 to €5.50',
    description: 'The entry as one readable sentence',
  })
  summary!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Per type, e.g. {email, reason, from, to}. Never passwords or tokens.',
  })
  details!: Record<string, unknown>;
}

/** One page of the list, with the cursor of the next; `total` exact up to 10,000. */
export class AuditPageDto extends CursorPageTotalDto {
  @ApiProperty({ type: [AuditEventDto] })
  items!: AuditEventDto[];
}
