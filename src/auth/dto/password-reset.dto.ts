import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../password-policy.js';

/** `POST /api/auth/password-reset` */
export class PasswordResetRequestDto {
  @ApiProperty({ example: 'ann@example.com', maxLength: 254 })
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  email!: string;
}

/** `POST /api/auth/password-reset/confirm` */
export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The `token` of the link in the mail.', maxLength: 128 })
  @IsString()
  @MaxLength(128)
  token!: string;

  @ApiProperty({
    maxLength: PASSWORD_MAX_LENGTH,
    description: '10–128 characters (15 for staff), not one of the commonly used passwords.',
  })
  @IsString()
  newPassword!: string;
}

/** `POST /api/auth/sign-out-everywhere` */
export class SignOutEverywhereDto {
  @ApiProperty({ description: 'The `token` of the link in the new sign-in mail.', maxLength: 128 })
  @IsString()
  @MaxLength(128)
  token!: string;
}
