import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

/** The keys of a `PushSubscription.toJSON()`, base64url without padding. */
export class PushSubscriptionKeysDto {
  @ApiProperty({
    description: "The browser's P-256 public key: 65 bytes, base64url (87 characters)",
    pattern: '^[A-Za-z0-9_-]{87}$',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{87}$/, { message: 'p256dh must be a P-256 public key, base64url' })
  p256dh!: string;

  @ApiProperty({
    description: "The browser's authentication secret: 16 bytes, base64url (22 characters)",
    pattern: '^[A-Za-z0-9_-]{22}$',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{22}$/, { message: 'auth must be a 16-byte secret, base64url' })
  auth!: string;
}

/** `POST /api/push/subscriptions`: what `PushSubscription.toJSON()` gives (without expirationTime). */
export class CreatePushSubscriptionDto {
  @ApiProperty({
    description:
      "The push service's URL for this browser: https (outside production also http on 127.0.0.1 or localhost)",
    maxLength: 2048,
    example: 'https://fcm.googleapis.com/fcm/send/dpH5…',
  })
  @IsString()
  @MaxLength(2048)
  endpoint!: string;

  @ApiProperty({ type: PushSubscriptionKeysDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PushSubscriptionKeysDto)
  keys!: PushSubscriptionKeysDto;
}

/** `DELETE /api/push/subscriptions` */
export class DeletePushSubscriptionDto {
  @ApiProperty({ maxLength: 2048 })
  @IsString()
  @MaxLength(2048)
  endpoint!: string;
}
