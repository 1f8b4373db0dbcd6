import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsAccountEmail } from '../../users/dto/account-email.js';
import { APPS, type AppName } from '../auth-context.js';
import { PASSWORD_MAX_LENGTH } from '../password-policy.js';
import { IsPersonName } from '../../users/dto/person-name.js';

const REFRESH_TRANSPORTS = ['cookie', 'body'] as const;
export type RefreshTransport = (typeof REFRESH_TRANSPORTS)[number];

export class RegisterDto {
  @ApiProperty({ example: 'ann@example.com', maxLength: 254 })
  @IsAccountEmail()
  email!: string;

  @ApiProperty({
    minLength: 10,
    maxLength: PASSWORD_MAX_LENGTH,
    description: '10–128 characters, not one of the commonly used passwords.',
  })
  @IsString()
  password!: string;

  @ApiProperty({ example: 'Ann', minLength: 1, maxLength: 100 })
  @IsPersonName()
  name!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'customer@taproom.local' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'customer-demo-pass-2026' })
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiProperty({ enum: APPS })
  @IsIn(APPS)
  app!: AppName;

  @ApiPropertyOptional({
    enum: REFRESH_TRANSPORTS,
    default: 'cookie',
    description: 'Where the refresh token goes: the `rt_<app>` cookie, or the response body.',
  })
  @IsOptional()
  @IsIn(REFRESH_TRANSPORTS)
  refreshTransport?: RefreshTransport;

  @ApiPropertyOptional({
    default: true,
    description:
      'Customer app only ("Keep me signed in"; staff apps ignore it). `false`: the refresh ' +
      'cookie is a browser-session cookie (no `Expires`), on this and every later refresh of ' +
      'the session, and the session lasts at most `SESSION_ABSOLUTE_CUSTOMER_SHORT` (12 h).',
  })
  @IsOptional()
  @IsBoolean()
  remember?: boolean;
}

export class RefreshDto {
  @ApiProperty({ enum: APPS })
  @IsIn(APPS)
  app!: AppName;

  @ApiPropertyOptional({ description: 'The refresh token; when absent, cookie `rt_<app>`.' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  refreshToken?: string;

  @ApiPropertyOptional({
    enum: REFRESH_TRANSPORTS,
    description:
      'Where the new refresh token goes, for a token sent in the body (default `body`); a ' +
      'token read from the cookie always goes back as a cookie.',
  })
  @IsOptional()
  @IsIn(REFRESH_TRANSPORTS)
  refreshTransport?: RefreshTransport;
}

export class LogoutDto {
  @ApiPropertyOptional({
    enum: APPS,
    description:
      'The app signing out: whose cookie to read when there is no usable bearer token, and to ' +
      'clear. Required when the request carries several `rt_` cookies and no usable bearer.',
  })
  @IsOptional()
  @IsIn(APPS)
  app?: AppName;

  @ApiPropertyOptional({ description: 'Identifies the session when the access token is gone.' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  refreshToken?: string;
}

export class LogoutAllDto {
  @ApiPropertyOptional({ default: false, description: 'Keep the session making this request.' })
  @IsOptional()
  @IsBoolean()
  keepCurrent?: boolean;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty({
    maxLength: PASSWORD_MAX_LENGTH,
    description: '10–128 characters (15 for staff), not one of the commonly used passwords.',
  })
  @IsString()
  newPassword!: string;
}

/** `POST /api/auth/guest` */
export class GuestStartDto {
  @ApiProperty({
    description: 'The token of the table’s QR link (`/t/<token>`).',
    example: '3q2-7wFh0cJ9r0yXg8mE1kQJb3o5vC1nS7aZ8dW4eR0',
  })
  @IsString()
  @MaxLength(512)
  tableToken!: string;

  @ApiPropertyOptional({
    enum: REFRESH_TRANSPORTS,
    default: 'cookie',
    description: 'Where the refresh token goes: the `rt_customer` cookie, or the response body.',
  })
  @IsOptional()
  @IsIn(REFRESH_TRANSPORTS)
  refreshTransport?: RefreshTransport;
}

/** `POST /api/auth/guest/upgrade` */
export class GuestUpgradeDto extends RegisterDto {}
