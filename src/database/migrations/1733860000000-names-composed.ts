import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Names are stored in Unicode's composed form (NFC) since the forms compose them, and `q` is
 * composed before matching; a name stored before then with combining accents ("Wa\u0308ller")
 * was found by neither spelling of a search. This composes those names once. Composing changes no
 * letter a person sees, so there is nothing to undo.
 */
export class NamesComposed1733860000000 implements MigrationInterface {
  name = 'NamesComposed1733860000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `UPDATE users SET name = normalize(name, NFC) WHERE name IS NOT NFC NORMALIZED`,
    );
  }

  async down(): Promise<void> {
    // The decomposed spellings are not kept; composed names are as valid before this migration.
  }
}
