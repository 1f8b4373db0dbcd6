import { Transform } from 'class-transformer';
import { ApiProperty } from '@nestjs/swagger';
import { lowerCaseId } from '../../common/ids.js';
import { IsUUID } from 'class-validator';

export class IdParamDto {
  @ApiProperty({ format: 'uuid' })
  @Transform(lowerCaseId)
  @IsUUID()
  id!: string;
}
