import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

export class ReadinessChecksDto {
  @ApiProperty({ enum: ['up', 'down'] })
  database!: 'up' | 'down';

  @ApiProperty({ enum: ['up', 'down', 'disabled'] })
  redis!: 'up' | 'down' | 'disabled';
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status!: 'ok' | 'unavailable';

  @ApiProperty({ type: ReadinessChecksDto })
  checks!: ReadinessChecksDto;

  @ApiPropertyOptional({
    example: 503,
    description: 'Only when unavailable, as in every error body',
  })
  statusCode?: number;

  @ApiPropertyOptional({ example: 'SERVICE_UNAVAILABLE' })
  code?: string;

  @ApiPropertyOptional()
  message?: string;
}
