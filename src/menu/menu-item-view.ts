import { ApiProperty } from '@nestjs/swagger';
import type { MenuItemEntity } from './entities/menu-item.entity.js';

/** A menu item as the API shows it. */
export class MenuItemView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Pale Ale' })
  name!: string;

  @ApiProperty({ example: 'Hoppy, 0.4 l' })
  description!: string;

  @ApiProperty({ example: 'Beer' })
  category!: string;

  @ApiProperty({ example: 550, description: 'Price in cents' })
  priceCents!: number;

  @ApiProperty({ description: 'False while the bar has taken the item off ("86")' })
  available!: boolean;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 12,
    description: 'Units left; null means unlimited, 0 means sold out',
  })
  stock!: number | null;

  @ApiProperty({ type: [String], example: ['gluten'] })
  allergens!: string[];

  @ApiProperty({ example: 'bar', description: 'Where it is prepared: one of STATIONS' })
  station!: string;

  @ApiProperty({ description: 'Position within its category (ascending)' })
  sortOrder!: number;

  @ApiProperty({ description: 'Archived items are not on the menu; past orders keep them' })
  archived!: boolean;
}

export function toMenuItemView(item: MenuItemEntity): MenuItemView {
  return {
    id: item.id,
    name: item.name,
    description: item.description,
    category: item.category,
    priceCents: item.priceCents,
    available: item.available,
    stock: item.stock,
    allergens: [...item.allergens],
    station: item.station,
    sortOrder: item.sortOrder,
    archived: item.archived,
  };
}
