import { Stack, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { MenuItem } from '@taproom/web-core/api/contracts';
import type { CartOption } from '@/lib/cart-store';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { groupByCategory, useMenu } from '../api/get-menu';
import { CategoryJumpBar, categorySectionId } from './category-jump-bar';
import { ItemSheet } from './item-sheet';
import { MenuItemCard } from './menu-item-card';

/**
 * The menu by category, with a bar to jump between them, prices, allergens and availability. An
 * item with choices opens its sheet to pick them; one without goes straight into the cart.
 */
export function MenuList({
  quantityInCart,
  onAdd,
  addDisabled = false,
}: {
  quantityInCart: (menuItemId: string) => number;
  onAdd: (item: MenuItem, options: CartOption[], quantity: number) => void;
  /** While an order is being sent the cart cannot change. */
  addDisabled?: boolean;
}) {
  const menu = useMenu();
  const groups = useMemo(() => groupByCategory(menu.data ?? []), [menu.data]);
  const categories = useMemo(() => groups.map(([category]) => category), [groups]);
  const [sheetItemId, setSheetItemId] = useState<string | null>(null);
  // The live menu's item: an option 86'd at the bar while the sheet is open shows at once.
  const sheetItem = menu.data?.find((item) => item.id === sheetItemId);
  if (menu.isPending) return <LoadingState label="Loading the menu…" />;
  if (menu.isError) {
    return (
      <ErrorState
        title="Could not load the menu"
        message={menu.error.message}
        onRetry={() => void menu.refetch()}
      />
    );
  }
  if (menu.data.length === 0) {
    return (
      <EmptyState title="The menu is empty">
        Nothing is on offer right now. Ask at the bar.
      </EmptyState>
    );
  }
  return (
    <>
      {categories.length > 1 && <CategoryJumpBar categories={categories} />}
      <Stack gap="xl" className="menu-sections">
        {groups.map(([category, items], index) => (
          <Stack
            component="section"
            key={category}
            id={categorySectionId(index)}
            gap="sm"
            aria-labelledby={`category-${String(index)}`}
          >
            <Title order={2} size="h3" id={`category-${String(index)}`} tabIndex={-1}>
              {category}
            </Title>
            {items.map((item) => (
              <MenuItemCard
                key={item.id}
                item={item}
                inCart={quantityInCart(item.id)}
                onAdd={(chosen) => {
                  if (chosen.optionGroups.length > 0) setSheetItemId(chosen.id);
                  else onAdd(chosen, [], 1);
                }}
                addDisabled={addDisabled}
              />
            ))}
          </Stack>
        ))}
      </Stack>
      {sheetItem !== undefined && (
        <ItemSheet
          key={sheetItem.id}
          item={sheetItem}
          addDisabled={addDisabled}
          onAdd={onAdd}
          onClose={() => {
            setSheetItemId(null);
          }}
        />
      )}
    </>
  );
}
