import { ApiProperty } from '@nestjs/swagger';

/** `GET /api/push/key` */
export class PushKeyView {
  @ApiProperty({
    description:
      "The server's VAPID public key (P-256, base64url): `applicationServerKey` for `PushManager.subscribe`",
    example:
      'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
  })
  publicKey!: string;
}

/** A saved push subscription (its keys are never sent back). */
export class PushSubscriptionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  endpoint!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
