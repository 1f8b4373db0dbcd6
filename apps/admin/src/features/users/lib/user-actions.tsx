import { asApiError } from '@taproom/web-core/api/api-client';
import type { AdminUserView, Role } from '@taproom/web-core/api/contracts';
import { confirmAction } from '@taproom/web-core/ui/confirm';
import { countSessions, fetchUser } from '@/lib/people';
import { roleLabel } from '@/lib/roles';
import { toastDone, toastFailed, toastWithUndo } from '@/lib/toasts';
import { patchUser, resetTwoFactor } from '../api/users-api';

/** "will be signed out of 2 devices", from the sessions they have right now. */
async function signOutPhrase(user: AdminUserView): Promise<string> {
  const devices = await countSessions(user.id).catch(() => undefined);
  if (devices === undefined) return `${user.name} will be signed out everywhere.`;
  if (devices === 0) return `${user.name} is not signed in anywhere right now.`;
  return `${user.name} will be signed out of ${String(devices)} device${devices === 1 ? '' : 's'} at once.`;
}

/**
 * A role change, confirmed first (it signs the person out everywhere), then a toast offering to
 * put the old role back. Resolves true when the role changed.
 */
export async function changeRole(user: AdminUserView, role: Role): Promise<boolean> {
  const consequence = await signOutPhrase(user);
  const yes = await confirmAction({
    title: `Make ${user.name} ${withArticle(roleLabel(role))}?`,
    message: `${consequence} They sign in again with the same password, as ${withArticle(roleLabel(role))}.`,
    confirmLabel: `Make ${roleLabel(role).toLowerCase()}`,
    // Red where power changes hands: making an admin, or unmaking one.
    danger: role === 'admin' || user.role === 'admin',
  });
  if (!yes) return false;
  try {
    await patchUser(user.id, { role });
  } catch (error) {
    failed(`${user.name}'s role was not changed`, error);
    return false;
  }
  toastWithUndo(`${user.name} is now ${withArticle(roleLabel(role))}.`, async () => {
    // Someone may have changed the role again meanwhile: undoing now would undo their change.
    const now = await fetchUser(user.id);
    if (now.role !== role) {
      throw new Error(
        `${user.name} is ${withArticle(roleLabel(now.role))} now, changed since; nothing was undone.`,
      );
    }
    await patchUser(user.id, { role: user.role });
    return `${user.name} is ${withArticle(roleLabel(user.role))} again.`;
  });
  return true;
}

/** Deactivation is confirmed (every device signed out, no sign-in until re-activated). */
export async function setActive(user: AdminUserView, active: boolean): Promise<boolean> {
  if (!active) {
    const yes = await confirmAction({
      title: `Deactivate ${user.name}?`,
      message: `${await signOutPhrase(user)} They cannot sign in until someone re-activates the account.`,
      confirmLabel: 'Deactivate',
    });
    if (!yes) return false;
  }
  try {
    await patchUser(user.id, { active });
  } catch (error) {
    failed(`${user.name} was not ${active ? 're-activated' : 'deactivated'}`, error);
    return false;
  }
  if (active) toastDone(`${user.name} can sign in again.`);
  else {
    toastWithUndo(`${user.name} is deactivated and signed out.`, async () => {
      if ((await fetchUser(user.id)).active) {
        throw new Error(`${user.name} was re-activated meanwhile; nothing was undone.`);
      }
      await patchUser(user.id, { active: true });
      return `${user.name} is active again (and signs in afresh).`;
    });
  }
  return true;
}

/**
 * Resets two-factor sign-in, confirmed first: the person signs in with the password alone (and
 * is signed out everywhere now). Resolves true when it was reset.
 */
export async function resetUserTwoFactor(user: AdminUserView): Promise<boolean> {
  const yes = await confirmAction({
    title: `Reset ${user.name}'s two-factor sign-in?`,
    message: `${await signOutPhrase(user)} Their authenticator key and recovery codes stop working; they sign in with their password alone and can set up two-factor sign-in again. Do this only when you are sure it is really them asking.`,
    confirmLabel: 'Reset two-factor',
  });
  if (!yes) return false;
  try {
    await resetTwoFactor(user.id);
  } catch (error) {
    failed(`${user.name}'s two-factor sign-in was not reset`, error);
    return false;
  }
  toastDone(`${user.name}'s two-factor sign-in is off, and they are signed out everywhere.`);
  return true;
}

/** LAST_ADMIN is explained with what to do instead; anything else in the server's words. */
function failed(title: string, error: unknown): void {
  if (asApiError(error)?.code === 'LAST_ADMIN') {
    toastFailed(
      title,
      new Error(
        'Taproom needs at least one active admin. Make someone else an admin first, then change or deactivate this account.',
      ),
    );
  } else toastFailed(title, error);
}

function withArticle(noun: string): string {
  return `${/^[AEIOU]/i.test(noun) ? 'an' : 'a'} ${noun.toLowerCase()}`;
}
