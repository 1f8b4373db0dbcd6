import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { databaseBefore } from '../support/migrations-before.js';

describe('the composed-names migration', () => {
  it('composes names stored with combining accents, and leaves the others as they are', async () => {
    const before = await databaseBefore('NamesComposed');
    const { dataSource } = before;
    try {
      const names = {
        // As some keyboards and pasted text send it, before the forms composed names.
        combining: 'Zoe\u0308 Wa\u0308ller',
        composed: 'Zoë Wäller',
        // Full-width letters are another character, not another spelling of one: kept.
        fullWidth: 'Ｚｏｅ',
      };
      const ids = Object.fromEntries(Object.keys(names).map((key) => [key, randomUUID()]));
      for (const [key, name] of Object.entries(names))
        await dataSource.query(
          `INSERT INTO users (id, email, email_canonical, name, role, password_hash)
             VALUES ($1, $2, $2, $3, 'customer', 'x')`,
          [ids[key], `${key}@example.com`, name],
        );
      await before.migrateRest();
      const rows = await dataSource.query<{ id: string; name: string }[]>(
        `SELECT id, name FROM users`,
      );
      const byId = new Map(rows.map((row) => [row.id, row.name]));
      expect({
        combining: byId.get(ids.combining!),
        composed: byId.get(ids.composed!),
        fullWidth: byId.get(ids.fullWidth!),
      }).toEqual({ combining: 'Zoë Wäller', composed: 'Zoë Wäller', fullWidth: 'Ｚｏｅ' });
      // What the admin searches run: the composed q now finds the name typed with combining marks.
      const found = await dataSource.query<{ id: string }[]>(
        `SELECT id FROM users WHERE name ILIKE $1 ORDER BY email`,
        ['%W\u00e4ller%'],
      );
      expect(found.map((row) => row.id)).toEqual([ids.combining, ids.composed]);
    } finally {
      await before.drop();
    }
  });
});
