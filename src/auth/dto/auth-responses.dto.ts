import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '../../users/role.js';
import { APPS, type AppName } from '../auth-context.js';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Null for a guest, who has none.' })
  email!: string | null;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 7,
    description: "A guest's table, which every order of theirs is for; null for other roles.",
  })
  tableNumber!: number | null;
}

export class UserResponseDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;
}

export class SessionSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: APPS })
  app!: AppName;

  @ApiProperty({
    format: 'date-time',
    description:
      'When the session ends unless it is used before: activity moves it on by ' +
      '`idleTimeoutSeconds`, never past `expiresAt`. An app can warn before it.',
  })
  idleExpiresAt!: string;

  @ApiProperty({ format: 'date-time', description: 'The absolute end of the session.' })
  expiresAt!: string;

  @ApiProperty({
    description: 'The idle timeout of the session’s role, in seconds.',
    example: 1800,
  })
  idleTimeoutSeconds!: number;
}

export class MeResponseDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({ type: SessionSummaryDto })
  session!: SessionSummaryDto;
}

export class TokenResponseDto {
  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'JWT access token; send it as `Authorization: Bearer …`.' })
  accessToken!: string;

  @ApiProperty({ format: 'date-time' })
  accessTokenExpiresAt!: string;

  @ApiPropertyOptional({ description: 'Only when the refresh transport is `body`.' })
  refreshToken?: string;

  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({ type: SessionSummaryDto })
  session!: SessionSummaryDto;
}
