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
 * A condition on the users row `alias`: its email or name matches the LIKE pattern `pattern` (a
 * placeholder; see {@link containsPattern}), case-insensitively. The users' trigram indexes
 * serve it.
 */
export function userMatchesTextSql(alias: string, pattern: string): string {
  return `(${alias}.email ILIKE ${pattern} ESCAPE '\\' OR ${alias}.name ILIKE ${pattern} ESCAPE '\\')`;
}

/**
 * A subquery: the ids (as text when `asText`) of the users whose email or name matches the LIKE
 * pattern `pattern` (a placeholder), for `… IN (subquery)` where too many match to list them.
 */
export function idsOfUsersMatchingSql(pattern: string, asText = false): string {
  return `SELECT ${asText ? 'u.id::text' : 'u.id'} FROM users u WHERE ${userMatchesTextSql('u', pattern)}`;
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
                     AND ${userMatchesTextSql('u', pattern)})`;
}
