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

  @ApiProperty({
    description:
      'Whether signing in asks for a code from an authenticator app after the password ' +
      '(two-factor sign-in, TOTP).',
  })
  twoFactorEnabled!: boolean;
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

  @ApiProperty({
    description:
      'The caller’s access token is a setup-only one (`TWO_FACTOR_ADMIN=required`): turn ' +
      'two-factor sign-in on, then refresh.',
  })
  twoFactorSetupOnly!: boolean;
}

export class TokenResponseDto {
  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'JWT access token; send it as `Authorization: Bearer …`.' })
  accessToken!: string;

  @ApiProperty({ format: 'date-time' })
  accessTokenExpiresAt!: string;

  @ApiProperty({
    description:
      'A setup-only session (`TWO_FACTOR_ADMIN=required` and an admin without two-factor ' +
      'sign-in, in the admin app): only `GET /api/auth/me`, sign-out and ' +
      '`POST /api/auth/2fa/setup|enable` answer it (others: `403 FORBIDDEN`, ' +
      '`details.reason = "two_factor_setup_required"`); refresh after enabling for a full one.',
  })
  twoFactorSetupOnly!: boolean;

  @ApiPropertyOptional({ description: 'Only when the refresh transport is `body`.' })
  refreshToken?: string;

  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({ type: SessionSummaryDto })
  session!: SessionSummaryDto;
}

class TotpChallengeDetailsDto {
  @ApiProperty({
    description:
      'Opaque; send it to `POST /api/auth/login/2fa` with a code. Valid 5 minutes, once, ' +
      'from the same address, for the same app and account.',
  })
  challenge!: string;

  @ApiProperty({ format: 'date-time', description: 'When the challenge expires.' })
  expiresAt!: string;
}

/** `401 TOTP_REQUIRED` (and `INVALID_CREDENTIALS`, without details) of `POST /api/auth/login`. */
export class TotpRequiredErrorDto {
  @ApiProperty({ example: 401 })
  statusCode!: number;

  @ApiProperty({ enum: ['INVALID_CREDENTIALS', 'TOTP_REQUIRED'], example: 'TOTP_REQUIRED' })
  code!: string;

  @ApiProperty({ example: 'Enter the 6-digit code from your authenticator app.' })
  message!: string;

  @ApiPropertyOptional({ type: TotpChallengeDetailsDto, description: 'TOTP_REQUIRED only.' })
  details?: TotpChallengeDetailsDto;
}
