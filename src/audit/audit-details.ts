/** Keys that must never reach the audit log, at any depth. */
const SECRET_KEY =
  /pass(word|phrase)|token|secret|hash|salt|authori[sz]ation|cookie|credential|api[-_]?key/i;
/** A JWT or anything shaped like one. */
const JWT_LIKE = /^[\w-]{8,}\.[\w-]{8,}\.[\w-]+$/;
const MAX_DEPTH = 5;

export const REDACTED = '[redacted]';

export interface SanitizedDetails {
  details: Record<string, unknown>;
  /** Paths of what was removed or masked, for a warning in the logs. */
  removed: string[];
}

function clean(value: unknown, path: string, depth: number, removed: string[]): unknown {
  if (typeof value === 'string') {
    if (JWT_LIKE.test(value)) {
      removed.push(path);
      return REDACTED;
    }
    return value;
  }
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) {
    removed.push(path);
    return REDACTED;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => clean(item, `${path}[${index}]`, depth + 1, removed));
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    if (SECRET_KEY.test(key)) {
      removed.push(itemPath);
      continue;
    }
    if (item !== undefined) result[key] = clean(item, itemPath, depth + 1, removed);
  }
  return result;
}

/**
 * Audit details without secrets: keys that name a password, token, secret, hash or cookie are
 * dropped at any depth and JWT-shaped strings are masked, whatever the caller passed.
 */
export function sanitizeAuditDetails(
  details: Record<string, unknown> | undefined,
): SanitizedDetails {
  const removed: string[] = [];
  const cleaned = details === undefined ? {} : clean(details, '', 0, removed);
  return { details: cleaned as Record<string, unknown>, removed };
}
