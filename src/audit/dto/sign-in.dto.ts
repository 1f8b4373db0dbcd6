import { ApiProperty } from '@nestjs/swagger';

/** One sign-in attempt of the caller's account. */
export class SignInDto {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({
    example: 'Chrome on Android',
    description: 'The device label of the browser that tried ("Unknown device" if none).',
  })
  device!: string;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ description: 'False for a wrong password (or a wrong 2FA code).' })
  succeeded!: boolean;
}
