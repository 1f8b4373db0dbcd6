/**
 * The users module's SQL for statements that other modules build (an order reads its
 * customer's name in the statement that numbers it): the placeholders are the caller's.
 */

/** An expression: the name of the user with id `$id` (a uuid parameter), `''` when none. */
export function userNameSql(id: string): string {
  return `COALESCE((SELECT u.name FROM users u WHERE u.id = ${id}), '')`;
}

/** An expression: the email of the user with id `id` (a uuid expression), null when none. */
export function userEmailSql(id: string): string {
  return `(SELECT u.email FROM users u WHERE u.id = ${id})`;
}

/** A LIKE pattern that finds `text` anywhere, its own `%`, `_` and backslashes taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * A condition: the user with id `id` (a uuid expression of the caller's; null matches nothing)
 * has an email or name that matches the LIKE pattern `pattern` (a placeholder; see
 * {@link containsPattern}), case-insensitively. Correlated on the users' primary key, so a
 * search over a long list costs one index lookup per row, however many users match.
 */
export function userMatchesSql(id: string, pattern: string): string {
  return `EXISTS (SELECT 1 FROM users u
                   WHERE u.id = ${id}
                     AND (u.email ILIKE ${pattern} ESCAPE '\\' OR u.name ILIKE ${pattern} ESCAPE '\\'))`;
}
