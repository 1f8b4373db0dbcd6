import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Names are stored in Unicode's composed form (NFC) since the forms compose them, and `q` is
 * composed before matching; a name stored before then with combining accents ("Wa\u0308ller")
 * was found by neither spelling of a search. This composes those names once, in JavaScript (as
 * the forms do; SQL's `normalize()` needs a UTF8 database). A name in ASCII is composed already.
 * Composing changes no letter a person sees, so there is nothing to undo.
 */
export class NamesComposed1733860000000 implements MigrationInterface {
  name = 'NamesComposed1733860000000';

  async up(runner: QueryRunner): Promise<void> {
    const users = (await runner.query(
      `SELECT id, name FROM users WHERE name ~ '[^[:ascii:]]'`,
    )) as { id: string; name: string }[];
    const changed = users.flatMap((user) => {
      const composed = user.name.normalize('NFC');
      return composed === user.name ? [] : [{ id: user.id, name: composed }];
    });
    if (changed.length === 0) return;
    await runner.query(
      `UPDATE users SET name = c.name
         FROM unnest($1::uuid[], $2::text[]) AS c(id, name) WHERE users.id = c.id`,
      [changed.map((user) => user.id), changed.map((user) => user.name)],
    );
  }

  async down(): Promise<void> {
    // The decomposed spellings are not kept; composed names are as valid before this migration.
  }
}
