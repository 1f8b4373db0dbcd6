import type { AccountRole } from '@taproom/web-core/api/contracts';
import { useDraft } from '@taproom/web-core/react/use-draft';

/** The new-account form's unsaved input, without the password (never stored). */
export interface NewUserDraft {
  email: string;
  name: string;
  role: AccountRole;
}

export function useNewUserDraft(userId: string | undefined) {
  return useDraft<NewUserDraft | null>({ app: 'admin', userId, form: 'new-user' }, null);
}
