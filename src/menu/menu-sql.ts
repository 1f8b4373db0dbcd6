/**
 * The menu module's SQL for statements that other modules build (an order is placed in one
 * statement, for speed): the pieces that read, lock and take stock from `menu_items`, so that
 * table is written by the menu module's SQL only. Each returns text to put into a bigger
 * statement; the placeholders it refers to are the caller's.
 */

/**
 * An expression: the items with ids `$ids` (a uuid[] parameter) as a JSON array of
 * `OrderableItem`s (menu.service), `[]` when none.
 */
export function orderableItemsSql(ids: string): string {
  return `COALESCE((SELECT json_agg(json_build_object('id', m.id, 'name', m.name,
                        'priceCents', m.price_cents, 'available', m.available,
                        'stock', m.stock, 'archived', m.archived,
                        'station', m.station, 'optionGroups', m.option_groups,
                        'vatRateBasisPoints', m.vat_rate_basis_points))
                FROM menu_items m WHERE m.id = ANY(${ids}::uuid[])), '[]')`;
}

/**
 * Two common table expressions that lock the items an order takes, in id order (the same for
 * every writer, so two orders never wait on each other in a cycle), and read them as locked:
 * `stocked` (ids `$counted`, read as having a stock count: locked to be written) and `unlimited`
 * (ids `$unlimited`, read as unlimited: locked against a change of the item). Each yields
 * `id, name, stock, available, archived, option_groups` (the options as locked: an option 86'd
 * meanwhile is seen).
 */
export function lockOrderedItemsSql({
  counted,
  unlimited,
}: {
  readonly counted: string;
  readonly unlimited: string;
}): string {
  return `stocked AS (
         SELECT m.id, m.name, m.stock, m.available, m.archived, m.option_groups
           FROM menu_items m
          WHERE m.id = ANY(${counted}::uuid[])
          ORDER BY m.id
            FOR NO KEY UPDATE
       ), unlimited AS (
         -- The weakest lock that a change to the item (86, a stock count: the menu service takes
         -- FOR UPDATE) must wait for, so such a change waits for this order or is seen by it.
         -- Other orders' locks (FOR NO KEY UPDATE, on an item they read as counted) do not
         -- conflict with it: two orders that read the menu either side of a change, and so lock
         -- one item in opposite modes, never wait on each other in a cycle.
         SELECT m.id, m.name, m.stock, m.available, m.archived, m.option_groups
           FROM menu_items m
          WHERE m.id = ANY(${unlimited}::uuid[])
          ORDER BY m.id
            FOR KEY SHARE
       )`;
}

/**
 * A common table expression `taken` that takes `quantities` (int[]) of the items `ids` (uuid[])
 * from the stock of `stocked` (see {@link lockOrderedItemsSql}), once `after` (a FROM item, such
 * as the order's claim on its idempotency key) yields a row; it returns the ids of the items whose
 * stock it took (those with a stock count).
 */
export function takeStockSql({
  ids,
  quantities,
  after,
}: {
  readonly ids: string;
  readonly quantities: string;
  readonly after: string;
}): string {
  return `taken AS (
         -- From the stock as locked above, not as the statement's snapshot saw it: a restock
         -- that committed while this statement waited for the lock is in the locked row, and a
         -- stock computed from the snapshot (0 - 1) would fail the table's CHECK before
         -- PostgreSQL re-reads the row.
         UPDATE menu_items m SET stock = st.stock - s.quantity, updated_at = now()
           FROM stocked st JOIN unnest(${ids}::uuid[], ${quantities}::int[]) AS s(id, quantity)
                  ON st.id = s.id,
                ${after}
          WHERE m.id = st.id AND st.stock IS NOT NULL
         RETURNING m.id
       )`;
}

/**
 * An expression: true when every chosen option (`$items` uuid[] and `$options` text[], pairs of an
 * item id and one of its option ids) is, as locked by {@link lockOrderedItemsSql}, still one of
 * that item's options and available.
 */
export function chosenOptionsAvailableSql({
  items,
  options,
}: {
  readonly items: string;
  readonly options: string;
}): string {
  return `(SELECT count(*) FROM unnest(${items}::uuid[], ${options}::text[]) AS c(item_id, option_id)
            WHERE EXISTS (
              SELECT 1
                FROM (SELECT id, option_groups FROM stocked
                      UNION ALL SELECT id, option_groups FROM unlimited) m,
                     jsonb_array_elements(m.option_groups) g,
                     jsonb_array_elements(g -> 'options') o
               WHERE m.id = c.item_id AND o ->> 'id' = c.option_id
                 AND (o ->> 'available')::boolean)) = cardinality(${items}::uuid[])`;
}
