import { Transform } from 'class-transformer';
import { lowerCaseId } from '../../common/ids.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { APPS, type AppName } from '../../auth/auth-context.js';
import { PageQueryDto } from '../../common/pagination.js';
import { SearchText } from '../../common/search-text.js';
import { ROLES, type Role } from '../../users/role.js';

export class AdminSessionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this user’s sessions.' })
  @IsOptional()
  @Transform(lowerCaseId)
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ enum: ROLES, description: 'Only sessions of users with this role.' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: APPS, description: 'Only sessions of this app.' })
  @IsOptional()
  @IsIn(APPS)
  app?: AppName;

  @SearchText("the user's name and email")
  q?: string;
}
