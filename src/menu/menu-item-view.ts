import { ApiProperty } from '@nestjs/swagger';
import type { MenuItemEntity } from './entities/menu-item.entity.js';

/** One choice within an option group. */
export class MenuOptionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Half pint' })
  name!: string;

  @ApiProperty({
    example: -250,
    description: 'Added to the unit price when chosen (may be negative), in cents',
  })
  priceDeltaCents!: number;

  @ApiProperty({ description: 'False while the bar has taken the option off ("86")' })
  available!: boolean;
}

/** A group of options an order line chooses from (at least `min`, at most `max`). */
export class MenuOptionGroupView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Size' })
  name!: string;

  @ApiProperty({ minimum: 0, example: 1, description: 'Fewest options to choose (0: optional)' })
  min!: number;

  @ApiProperty({ minimum: 1, example: 1, description: 'Most options to choose' })
  max!: number;

  @ApiProperty({ type: [MenuOptionView], description: 'In display order' })
  options!: MenuOptionView[];
}

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

  @ApiProperty({ type: [MenuOptionGroupView], description: 'In display order; [] when none' })
  optionGroups!: MenuOptionGroupView[];

  @ApiProperty({
    minimum: 0,
    maximum: 10_000,
    example: 2000,
    description: 'The VAT rate the (VAT-inclusive) price carries, in basis points: 2000 = 20 %',
  })
  vatRateBasisPoints!: number;
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
    optionGroups: item.optionGroups.map((group) => ({
      id: group.id,
      name: group.name,
      min: group.min,
      max: group.max,
      options: group.options.map((option) => ({
        id: option.id,
        name: option.name,
        priceDeltaCents: option.priceDeltaCents,
        available: option.available,
      })),
    })),
    vatRateBasisPoints: item.vatRateBasisPoints,
  };
}
