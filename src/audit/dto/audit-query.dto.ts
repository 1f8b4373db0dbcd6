import { Transform } from 'class-transformer';
import { lowerCaseId } from '../../common/ids.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsInstant } from '../../common/instant.js';
import { CommaList } from '../../common/query-values.js';
import { ListCursor } from '../../common/list-cursor.js';
import { PageQueryDto } from '../../common/pagination.js';
import { SearchText } from '../../common/search-text.js';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../audit-event-type.js';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'One type, or several separated by commas (login_succeeded,login_failed). ' +
      `Types: ${AUDIT_EVENT_TYPES.join(', ')}.`,
    example: 'login_succeeded,login_failed',
    type: String,
  })
  @IsOptional()
  @CommaList()
  @IsArray()
  @ArrayMaxSize(AUDIT_EVENT_TYPES.length)
  @IsIn(AUDIT_EVENT_TYPES, { each: true })
  type?: AuditEventType[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events about this user.' })
  @IsOptional()
  @Transform(lowerCaseId)
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'At or after' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Before' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @SearchText(
    'the name and email of the person an entry is about or who acted, and the email a failed sign-in named',
  )
  q?: string;

  @ListCursor(() => 'audit')
  cursor?: string;
}
