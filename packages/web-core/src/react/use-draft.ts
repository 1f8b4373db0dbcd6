import { useLocalStorage } from '@mantine/hooks';

/**
 * Unsaved form input that outlives the page: kept in localStorage as it is typed, so a reload,
 * an idle timeout or an eviction (which sends the person to sign in) loses nothing; the form
 * comes back filled when they return. Keyed by app, person and form, so one person's draft is
 * never shown to another who signs in on the same browser. `clear` after a successful save.
 */
export function useDraft<T>(
  scope: { app: string; userId: string | undefined; form: string },
  initial: T,
): [T, (next: T | ((current: T) => T)) => void, () => void] {
  const [value, setValue, clear] = useLocalStorage<T>({
    key: `taproom:draft:${scope.app}:${scope.userId ?? 'anonymous'}:${scope.form}`,
    defaultValue: initial,
    getInitialValueInEffect: false,
  });
  return [value, setValue, clear];
}
