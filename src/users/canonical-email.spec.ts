import { describe, expect, it } from '@jest/globals';
import { auditableEmail, canonicalEmail } from './canonical-email.js';

describe('canonicalEmail', () => {
  it('trims, lower-cases and applies NFKC, so compatibility spellings meet', () => {
    expect(canonicalEmail('  Sam.Lee@Example.COM ')).toBe('sam.lee@example.com');
    // Fullwidth letters and the "ﬁ" ligature are compatibility forms of plain ASCII.
    expect(canonicalEmail('ＳＡＭ@example.com')).toBe('sam@example.com');
    expect(canonicalEmail('ﬁnn@example.com')).toBe('finn@example.com');
    // An ideographic space is whitespace once normalized.
    expect(canonicalEmail('\u3000sam@example.com')).toBe('sam@example.com');
  });

  it('lower-cases the dotted capital I as Unicode does (i + combining dot), not as a locale might', () => {
    const dotted = canonicalEmail('İlker@example.com');
    expect(dotted).toBe('i\u0307lker@example.com');
    expect(dotted).not.toBe(canonicalEmail('ilker@example.com'));
  });

  it('is idempotent', () => {
    for (const email of ['İlker@Example.com', 'ＳＡＭ@x.io', 'ΣΑΣ@x.gr', 'Straße@x.de']) {
      expect(canonicalEmail(canonicalEmail(email))).toBe(canonicalEmail(email));
    }
  });
});

describe('auditableEmail', () => {
  it('keeps an email (canonical) and drops what is not one, such as a mistyped password', () => {
    expect(auditableEmail(' Sam@Example.com ')).toBe('sam@example.com');
    expect(auditableEmail('correct horse battery staple')).toBeNull();
    expect(auditableEmail('hunter2')).toBeNull();
  });
});
