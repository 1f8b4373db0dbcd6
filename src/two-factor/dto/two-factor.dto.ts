import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { APPS, type AppName } from '../../auth/auth-context.js';

/** `POST /api/auth/2fa/setup`: the body. */
export class TwoFactorSetupRequestDto {
  @ApiProperty({
    description:
      'The current password ("confirm access"): a session alone cannot put a new key on the ' +
      'account. A wrong one counts as a failed sign-in.',
  })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

/** `POST /api/auth/2fa/setup`: the answer. */
export class TwoFactorSetupDto {
  @ApiProperty({
    description:
      'The new key (Base32), for typing into an authenticator app by hand. Shown only here; ' +
      'stored encrypted until it is confirmed.',
    example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  })
  secret!: string;

  @ApiProperty({
    description: 'The `otpauth://totp/…` URI of the key (issuer Taproom, label the email).',
    example: 'otpauth://totp/Taproom:ann%40example.com?secret=…&issuer=Taproom',
  })
  otpauthUri!: string;

  @ApiProperty({
    description:
      'The URI as a QR code, an SVG document (rendered on the server). Show it as an image ' +
      '(`<img src="data:image/svg+xml;…">`), never as markup.',
  })
  qrSvg!: string;
}

/** `POST /api/auth/2fa/enable` */
export class TwoFactorEnableDto {
  @ApiProperty({ description: 'The current 6-digit code of the new key.', example: '123456' })
  @IsString()
  @MaxLength(16)
  code!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: [String],
    description:
      'Ten single-use recovery codes (`xxxx-xxxx-xxxx`), shown this once and stored only as ' +
      'hashes; each signs in once instead of a code.',
    example: ['abcd-efgh-jkmn', 'pqrs-tuvw-xyz2'],
  })
  recoveryCodes!: string[];
}

/** `POST /api/auth/2fa/disable` */
export class TwoFactorDisableDto {
  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiProperty({
    description: 'A current 6-digit code from the authenticator app, or one recovery code.',
    example: '123456',
  })
  @IsString()
  @MaxLength(64)
  code!: string;
}

/** `POST /api/auth/login/2fa` */
export class LoginTwoFactorDto {
  @ApiProperty({ description: 'The `details.challenge` of the `401 TOTP_REQUIRED` answer.' })
  @IsString()
  @MaxLength(256)
  challenge!: string;

  @ApiPropertyOptional({
    description: 'The current 6-digit code from the authenticator app (or `recoveryCode`).',
    example: '123456',
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  code?: string;

  @ApiPropertyOptional({
    description: 'One of the recovery codes, instead of `code`; each works once.',
    example: 'abcd-efgh-jkmn',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  recoveryCode?: string;

  @ApiPropertyOptional({
    enum: APPS,
    description:
      'The app signing in; when sent, it must be the one the password step named (the ' +
      'challenge is bound to it either way).',
  })
  @IsOptional()
  @IsIn(APPS)
  app?: AppName;
}
