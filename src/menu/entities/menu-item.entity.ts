import type { MenuOptionGroup } from '../option-groups.js';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('menu_items')
export class MenuItemEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('text')
  category!: string;

  @Column('integer', { name: 'price_cents' })
  priceCents!: number;

  @Column('boolean')
  available!: boolean;

  /** `null` means unlimited; only ever changed by conditional SQL updates or an absolute set. */
  @Column('integer', { nullable: true })
  stock!: number | null;

  @Column('text', { array: true })
  allergens!: string[];

  /** Where it is prepared: one of STATIONS (or one that was, before the list changed). */
  @Column('text')
  station!: string;

  /** Archived items leave the menu; past orders keep their lines. */
  @Column('boolean')
  archived!: boolean;

  @Column('integer', { name: 'sort_order' })
  sortOrder!: number;

  /** Option groups in display order (JSON on the row, so an order's row lock covers them). */
  @Column('jsonb', { name: 'option_groups' })
  optionGroups!: MenuOptionGroup[];

  /** 2000 = 20 %; prices include it. */
  @Column('integer', { name: 'vat_rate_basis_points' })
  vatRateBasisPoints!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
