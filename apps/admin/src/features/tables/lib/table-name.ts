import type { AdminTable } from '@taproom/web-core/api/contracts';

/** The longest label a table takes (the server's limit too). */
export const LABEL_MAX = 100;

/** "Table 4 (Window)", or "Table 4" without a label. */
export function tableName(table: Pick<AdminTable, 'number' | 'label'>): string {
  return table.label === null
    ? `Table ${String(table.number)}`
    : `Table ${String(table.number)} (${table.label})`;
}
