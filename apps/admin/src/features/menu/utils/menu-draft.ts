import { useDraft } from '@taproom/web-core/react/use-draft';
import type { MenuFormValues } from './menu-form';

/** The menu form's unsaved input: which item (null: a new one) and what was typed. */
export interface MenuDraft {
  itemId: string | null;
  values: MenuFormValues;
}

/** One draft per admin: the menu form that was open when they were signed out or reloaded. */
export function useMenuDraft(userId: string | undefined) {
  return useDraft<MenuDraft | null>({ app: 'admin', userId, form: 'menu-item' }, null);
}
