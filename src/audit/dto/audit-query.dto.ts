import { Transform } from 'class-transformer';
import { lowerCaseId } from '../../common/ids.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { SearchText } from '../../common/search-text.js';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../audit-event-type.js';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_EVENT_TYPES, enumName: 'AuditEventType' })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES)
  type?: AuditEventType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events about this user.' })
  @IsOptional()
  @Transform(lowerCaseId)
  @IsUUID()
  userId?: string;

  @SearchText(
    'the name and email of the person an entry is about or who acted, and the email a failed sign-in named',
  )
  q?: string;
}
