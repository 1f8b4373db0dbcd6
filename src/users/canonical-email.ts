import { isEmail } from 'class-validator';

/**
 * The one form of an email address that Taproom compares, counts and keeps unique (contract:
 * Auth): Unicode NFKC, trimmed, lower-cased by JavaScript's locale-independent mapping, and NFKC
 * again (lower-casing can leave a sequence that normalization would compose). Lookups, the unique
 * index (`users.email_canonical`) and the sign-in limit keys all use this, never SQL `lower()`,
 * whose mapping depends on the database's locale: two spellings either reach one account and
 * share its limits, or reach none.
 */
export function canonicalEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

/**
 * The email of a sign-in attempt as the audit log may keep it: canonical, and only when it looks
 * like an email address. Something else typed into the email field (a password, say, by a person
 * who mistook the fields) never reaches the log that every admin reads.
 */
export function auditableEmail(typed: string): string | null {
  const email = canonicalEmail(typed);
  return isEmail(email) ? email : null;
}
