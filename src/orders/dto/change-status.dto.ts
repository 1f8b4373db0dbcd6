import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsReason } from '../../common/reason-text.js';
import { ORDER_STATUSES, type OrderStatus } from '../order-state-machine.js';

/** `PATCH /api/orders/:id/status` */
export class ChangeStatusDto {
  @ApiProperty({ enum: ORDER_STATUSES })
  @IsIn(ORDER_STATUSES)
  status!: OrderStatus;

  @ApiProperty({ description: 'The version the change is based on', example: 1 })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version!: number;

  @ApiPropertyOptional({ maxLength: 280, description: 'Required when staff cancel' })
  @IsOptional()
  @IsReason()
  reason?: string;
}

/** `POST /api/orders/:id/cancel` */
export class CancelOrderDto {
  @ApiPropertyOptional({ maxLength: 280, description: 'Required when staff cancel' })
  @IsOptional()
  @IsReason()
  reason?: string;
}
