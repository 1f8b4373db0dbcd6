import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsUUID } from 'class-validator';
import { lowerCaseId } from '../../../common/ids.js';
import { QueryWholeNumber } from '../../../common/query-values.js';
import { MAX_TABLE_NUMBER, MIN_TABLE_NUMBER } from '../../../common/table-numbers.js';

/** `GET /api/tabs`: exactly one of `tableNumber` and `customerId`. */
export class TabQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: MIN_TABLE_NUMBER,
    maximum: MAX_TABLE_NUMBER,
    example: 7,
  })
  @IsOptional()
  @QueryWholeNumber(MIN_TABLE_NUMBER, MAX_TABLE_NUMBER)
  tableNumber?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Transform(lowerCaseId)
  @IsUUID('all')
  customerId?: string;
}
