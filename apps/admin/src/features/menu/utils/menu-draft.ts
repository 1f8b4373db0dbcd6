import { useDraft } from '@taproom/web-core/react/use-draft';
import type { MenuFormValues } from './menu-form';

/**
 * The menu form's unsaved input: which item (null: a new one) and only the fields the admin
 * changed, so what others changed meanwhile (stock sold, an item 86'd at the bar) is never
 * written back when the draft is saved later.
 */
export interface MenuDraft {
  itemId: string | null;
  changes: Partial<MenuFormValues>;
}

/** The form as it should show: the item as it is now, with the admin's changes on top. */
export function withChanges(current: MenuFormValues, draft: MenuDraft | null): MenuFormValues {
  return draft === null ? current : { ...current, ...draft.changes };
}

/** The fields of `next` that differ from the item as it is now. */
export function changesOf(current: MenuFormValues, next: MenuFormValues): Partial<MenuFormValues> {
  return Object.fromEntries(
    Object.entries(next).filter(
      ([key, value]) =>
        // The option groups are a list: compared by what they hold.
        JSON.stringify(current[key as keyof MenuFormValues]) !== JSON.stringify(value),
    ),
  );
}

/** One draft per admin: the menu form that was open when they were signed out or reloaded. */
export function useMenuDraft(userId: string | undefined) {
  return useDraft<MenuDraft | null>({ app: 'admin', userId, form: 'menu-item' }, null);
}
