import { randomUUID } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `canonicalEmail` as it was when this migration shipped (a migration never changes meaning). */
function canonical(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

/**
 * Emails get one canonical form (`email_canonical`, computed by the application: SQL `lower()`
 * maps letters by the database's locale, JavaScript by Unicode, and the two disagreed), which
 * alone is unique; and users get a `credentials_version`, bumped with every password, role or
 * activity change, so a sign-in whose password check read the row before such a change cannot
 * create a session after it.
 *
 * Accounts whose emails were distinct under `lower()` but are one canonical email (a fullwidth
 * or ligature spelling, say) cannot all keep it: the oldest does; each later one is deactivated
 * (its sessions end, an audit entry says why) and keeps a canonical form of its own that no
 * sign-in reaches, until an admin sorts it out.
 */
export class CanonicalEmailsAndCredentialVersions1733000000000 implements MigrationInterface {
  name = 'CanonicalEmailsAndCredentialVersions1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE users ADD COLUMN email_canonical text`);
    await runner.query(
      `ALTER TABLE users ADD COLUMN credentials_version integer NOT NULL DEFAULT 0`,
    );
    const users = (await runner.query(`SELECT id, email FROM users ORDER BY created_at, id`)) as {
      id: string;
      email: string;
    }[];
    const owner = new Map<string, string>();
    const ids: string[] = [];
    const forms: string[] = [];
    const duplicates: { id: string; keptUserId: string }[] = [];
    for (const user of users) {
      const form = canonical(user.email);
      const first = owner.get(form);
      ids.push(user.id);
      if (first === undefined) {
        owner.set(form, user.id);
        forms.push(form);
      } else {
        duplicates.push({ id: user.id, keptUserId: first });
        forms.push(`${form}#duplicate-${user.id}`);
      }
    }
    if (ids.length > 0) {
      await runner.query(
        `UPDATE users SET email_canonical = c.form
           FROM unnest($1::uuid[], $2::text[]) AS c(id, form) WHERE users.id = c.id`,
        [ids, forms],
      );
    }
    for (const duplicate of duplicates) {
      await runner.query(
        `UPDATE users SET active = false, credentials_version = credentials_version + 1,
                updated_at = now() WHERE id = $1`,
        [duplicate.id],
      );
      await runner.query(
        `UPDATE sessions SET revoked_at = now(), revoked_reason = 'deactivated'
          WHERE user_id = $1 AND revoked_at IS NULL`,
        [duplicate.id],
      );
      await runner.query(
        `INSERT INTO audit_events (id, type, user_id, details)
         VALUES ($1, 'user_deactivated', $2, $3::jsonb)`,
        [
          randomUUID(),
          duplicate.id,
          JSON.stringify({ reason: 'duplicate_email', keptUserId: duplicate.keptUserId }),
        ],
      );
    }
    await runner.query(`ALTER TABLE users ALTER COLUMN email_canonical SET NOT NULL`);
    await runner.query(`DROP INDEX uq_users_email`);
    await runner.query(`CREATE UNIQUE INDEX uq_users_email_canonical ON users (email_canonical)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX uq_users_email_canonical`);
    await runner.query(`CREATE UNIQUE INDEX uq_users_email ON users (lower(email))`);
    await runner.query(`ALTER TABLE users DROP COLUMN credentials_version`);
    await runner.query(`ALTER TABLE users DROP COLUMN email_canonical`);
  }
}
