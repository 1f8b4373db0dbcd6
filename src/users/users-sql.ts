/**
 * The users module's SQL for statements that other modules build (an order reads its
 * customer's name in the statement that numbers it): the placeholders are the caller's.
 */

/** An expression: the name of the user with id `$id` (a uuid parameter), `''` when none. */
export function userNameSql(id: string): string {
  return `COALESCE((SELECT u.name FROM users u WHERE u.id = ${id}), '')`;
}

/** A LIKE pattern that finds `text` anywhere, its own `%`, `_` and backslashes taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * A subquery: the ids (as text) of the users whose email or name matches the LIKE pattern
 * `pattern` (a placeholder; see {@link containsPattern}), case-insensitively.
 */
export function usersMatchingSql(pattern: string): string {
  return `SELECT u.id::text FROM users u
           WHERE u.email ILIKE ${pattern} ESCAPE '\\' OR u.name ILIKE ${pattern} ESCAPE '\\'`;
}
