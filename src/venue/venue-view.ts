import { ApiProperty } from '@nestjs/swagger';

/** How the venue works, as every app needs to know it: `GET /api/venue`. */
export class VenueView {
  @ApiProperty({
    type: [String],
    example: ['bar', 'kitchen'],
    description: 'Where menu items are prepared (STATIONS); the first is the default',
  })
  stations!: string[];

  @ApiProperty({
    enum: ['counter', 'table'],
    example: 'counter',
    description:
      'How orders reach the guest (SERVICE_MODE): `table`, brought to the table when it has one; ' +
      '`counter`, collected at the bar by number',
  })
  serviceMode!: 'counter' | 'table';

  @ApiProperty({
    example: 900,
    description: 'How long after completion staff may recall a served order (RECALL_WINDOW)',
  })
  recallWindowSeconds!: number;

  @ApiProperty({ example: 300, description: 'A ticket turns amber once it has waited this long' })
  ticketAmberAfterSeconds!: number;

  @ApiProperty({ example: 480, description: 'A ticket turns red once it has waited this long' })
  ticketRedAfterSeconds!: number;
}
