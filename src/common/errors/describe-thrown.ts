/**
 * One line for whatever was thrown: an Error's message, else an object's `message` (some
 * libraries, PGlite's file system among them, throw objects that are not Errors), else its
 * string form. Never "[object Object]".
 */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'object' && thrown !== null) {
    const { message, code } = thrown as { message?: unknown; code?: unknown };
    if (typeof message === 'string' && message !== '') return message;
    if (typeof code === 'string' || typeof code === 'number') return `error ${String(code)}`;
    try {
      return JSON.stringify(thrown);
    } catch {
      return `a thrown ${thrown.constructor.name || 'object'} that cannot be printed`;
    }
  }
  return String(thrown);
}
