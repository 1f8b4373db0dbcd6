/** Where to go after signing in: only a path inside this app, never another site. */
export function safeNext(next: string | null, fallback = '/'): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return fallback;
  }
  return next;
}
