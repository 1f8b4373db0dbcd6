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
 * Up to this many people whose email or name matches a search are looked up first and named by
 * id; when more match, a statement names them by {@link idsOfUsersMatchingSql} instead (a
 * statement with thousands of literals costs more to plan than to run).
 */
export const LISTED_PEOPLE_LIMIT = 1_000;

/**
 * A subquery: the ids (as text when `asText`) of the users whose email or name matches the LIKE
 * pattern `pattern` (a placeholder), for `… IN (subquery)` where too many match to list them.
 * With `runOnce`, `OFFSET 0` keeps it a subquery the planner runs once into a hashed set, rather
 * than pulling it up into a join planned from the other side's row estimate (see the sessions
 * search, where that estimate is far off).
 */
export function idsOfUsersMatchingSql(pattern: string, asText = false, runOnce = false): string {
  return `SELECT ${asText ? 'u.id::text' : 'u.id'} FROM users u WHERE ${userMatchesTextSql('u', pattern)}${runOnce ? ' OFFSET 0' : ''}`;
}
