import { ApiProperty } from '@nestjs/swagger';

export class HourOfDayCount {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 23,
    example: 21,
    description: 'Hour of the day in VENUE_TIMEZONE: 21 is 21:00–21:59',
  })
  hour!: number;

  @ApiProperty({ type: 'integer', example: 37 })
  orders!: number;
}

/** Percentiles of a duration, in seconds. */
export class DurationPercentiles {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 95.5,
    description:
      'The median, in seconds (to the second up to 10 min, 10 s up to 3 h, a minute beyond); null when no order has one',
  })
  p50!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 240,
    description: '90th percentile, in seconds (same precision as p50); null when no order has one',
  })
  p90!: number | null;
}

/**
 * How the bar served the orders placed in a range of business days. Percentiles are continuous
 * (PostgreSQL's `percentile_cont`: interpolated between the orders on either side).
 */
export class ServiceReport {
  @ApiProperty({
    type: [HourOfDayCount],
    description:
      'Always 24 entries, hour 0 to 23: the orders placed in that hour of the day in ' +
      'VENUE_TIMEZONE, added up over every day of the range. Every placed order counts, whatever ' +
      'became of it (cancelled ones too): this is the demand on the bar.',
  })
  ordersPerHour!: HourOfDayCount[];

  @ApiProperty({
    type: DurationPercentiles,
    description:
      'From placing an order to its first move to accepted, over the orders of the range that ' +
      'were ever accepted',
  })
  acceptSeconds!: DurationPercentiles;

  @ApiProperty({
    type: DurationPercentiles,
    description:
      'From placing an order to its first move to ready, over the orders of the range that ' +
      'were ever ready',
  })
  readySeconds!: DurationPercentiles;
}
