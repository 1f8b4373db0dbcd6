import type { PublicTableDto, TableViewDto } from './dto/table.dto.js';
import type { TableEntity } from './entities/table.entity.js';

export function toTableView(table: TableEntity, qrUrl: string): TableViewDto {
  return {
    id: table.id,
    number: table.number,
    label: table.label,
    qrUrl,
    createdAt: table.createdAt.toISOString(),
    updatedAt: table.updatedAt.toISOString(),
  };
}

export function toPublicTableView(table: {
  readonly number: number;
  readonly label: string | null;
}): PublicTableDto {
  return { number: table.number, label: table.label };
}
