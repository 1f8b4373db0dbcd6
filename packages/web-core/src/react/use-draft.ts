import { useLocalStorage } from '@mantine/hooks';
import { useRef } from 'react';

/** A draft older than this is not brought back: the person has moved on. */
export const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;
const PREFIX = 'taproom:draft:';

/** Which draft: one per app, person and form (plus the record, for a form that edits one). */
export interface DraftScope {
  app: string;
  userId: string | undefined;
  form: string;
  /** The record an edit form is for; leave out for a form that creates one. */
  record?: string;
}

interface Stored<T> {
  savedAt: number;
  value: T;
}

/** The localStorage key of a draft. */
export function draftKey(scope: DraftScope): string {
  const record = scope.record === undefined ? '' : `:${scope.record}`;
  return `${PREFIX}${scope.app}:${scope.userId ?? 'anonymous'}:${scope.form}${record}`;
}

/** Reads a stored draft: `fallback` when there is none, it is unreadable or it has expired. */
export function readDraft<T>(raw: string | null | undefined, fallback: T, now = Date.now()): T {
  if (raw === null || raw === undefined) return fallback;
  try {
    const stored = JSON.parse(raw) as Partial<Stored<T>> | null;
    if (stored === null || typeof stored.savedAt !== 'number' || !('value' in stored)) {
      return fallback;
    }
    return now - stored.savedAt > DRAFT_TTL_MS ? fallback : (stored.value as T);
  } catch {
    return fallback;
  }
}

/**
 * Throws away every draft of one person in one app: when they sign out on purpose. Forced
 * sign-outs (another device, inactivity, an admin) keep them, so the form comes back filled
 * after signing in again. Also drops anyone's expired drafts of the app on the way.
 */
export function clearDrafts(app: string, userId: string | undefined, now = Date.now()): void {
  if (typeof localStorage === 'undefined') return;
  const mine = `${PREFIX}${app}:${userId ?? 'anonymous'}:`;
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    if (key?.startsWith(`${PREFIX}${app}:`) !== true) continue;
    const expired = readDraft<unknown>(localStorage.getItem(key), undefined, now) === undefined;
    if (key.startsWith(mine) || expired) keys.push(key);
  }
  for (const key of keys) localStorage.removeItem(key);
}

/**
 * Unsaved form input that outlives the page: kept in localStorage as it is typed, so a reload,
 * an idle timeout or an eviction (which sends the person to sign in) loses nothing; the form
 * comes back filled when they return. Keyed by app, person and form, so one person's draft is
 * never shown to another who signs in on the same browser; kept for a day at most.
 * Written on every change rather than debounced: a few hundred bytes cost nothing, and an
 * eviction or a reload may come the moment after the last key press. `clear` after a
 * successful save, or when the person discards it; {@link clearDrafts} on an explicit sign-out.
 */
export function useDraft<T>(
  scope: DraftScope,
  initial: T,
): [T, (next: T | ((current: T) => T)) => void, () => void] {
  // The storage hook writes back what it read when the form mounts: that must not make an old
  // draft new again, or a form opened every day would keep its draft for ever.
  const lastRead = useRef<{ raw: string; json: string } | undefined>(undefined);
  const [value, setValue, clear] = useLocalStorage<T>({
    key: draftKey(scope),
    defaultValue: initial,
    getInitialValueInEffect: false,
    serialize: (next) => {
      const json = JSON.stringify(next);
      if (lastRead.current?.json === json) return lastRead.current.raw;
      return JSON.stringify({ savedAt: Date.now(), value: next } satisfies Stored<T>);
    },
    deserialize: (raw) => {
      const draft = readDraft(raw, initial);
      lastRead.current = raw === undefined ? undefined : { raw, json: JSON.stringify(draft) };
      return draft;
    },
  });
  return [value, setValue, clear];
}
