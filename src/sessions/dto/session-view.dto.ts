import { ApiProperty } from '@nestjs/swagger';
import { APPS, type AppName } from '../../auth/auth-context.js';
import { ROLES, type Role } from '../../users/role.js';
import { PageTotalDto } from '../../common/pagination.js';

export class SessionViewDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: APPS })
  app!: AppName;

  @ApiProperty({ type: String, nullable: true })
  userAgent!: string | null;

  @ApiProperty({ example: 'Chrome on Android' })
  device!: string;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastActiveAt!: string;

  @ApiProperty({
    format: 'date-time',
    description:
      'When the session ends unless it is used before: activity moves it on by the role’s ' +
      'idle timeout, never past `expiresAt`.',
  })
  idleExpiresAt!: string;

  @ApiProperty({ format: 'date-time', description: 'The absolute end of the session.' })
  expiresAt!: string;

  @ApiProperty({ description: 'Whether this is the session making the request.' })
  current!: boolean;
}

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Null for a guest.' })
  email!: string | null;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}

export class AdminSessionViewDto extends SessionViewDto {
  @ApiProperty({ type: SessionUserDto })
  user!: SessionUserDto;
}

/** One page of the list; `total` exact up to 10,000. */
export class AdminSessionPageDto extends PageTotalDto {
  @ApiProperty({ type: [AdminSessionViewDto] })
  items!: AdminSessionViewDto[];
}
