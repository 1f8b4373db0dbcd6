import { Stack, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { MenuItem } from '@taproom/web-core/api/contracts';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { groupByCategory, useMenu } from '../api/get-menu';
import { CategoryJumpBar, categorySectionId } from './category-jump-bar';
import { MenuItemCard } from './menu-item-card';

/** The menu by category, with a bar to jump between them, prices, allergens and availability. */
export function MenuList({
  quantityInCart,
  onAdd,
  addDisabled = false,
}: {
  quantityInCart: (menuItemId: string) => number;
  onAdd: (item: MenuItem) => void;
  /** While an order is being sent the cart cannot change. */
  addDisabled?: boolean;
}) {
  const menu = useMenu();
  const groups = useMemo(() => groupByCategory(menu.data ?? []), [menu.data]);
  const categories = useMemo(() => groups.map(([category]) => category), [groups]);
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
                onAdd={onAdd}
                addDisabled={addDisabled}
              />
            ))}
          </Stack>
        ))}
      </Stack>
    </>
  );
}
