/** Table numbers, as tables have them, orders take them and the order list filters on them. */
export const MIN_TABLE_NUMBER = 1;
export const MAX_TABLE_NUMBER = 999;
