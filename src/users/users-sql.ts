/**
 * The users module's SQL for statements that other modules build (an order reads its
 * customer's name in the statement that numbers it): the placeholders are the caller's.
 */

/** An expression: the name of the user with id `$id` (a uuid parameter), `''` when none. */
export function userNameSql(id: string): string {
  return `COALESCE((SELECT u.name FROM users u WHERE u.id = ${id}), '')`;
}
