import { describe, expect, it } from '@jest/globals';
import { LinkSealer, hashLinkToken, newLinkToken } from './link-secret.js';
import { appBase, renderMail, venueTime } from './templates.js';

const context = {
  venueName: 'The <Tap> & Co',
  publicUrl: 'https://bar.example.com/taproom',
  timeZone: 'Europe/Berlin',
  token: 'tok_en-123',
};

describe('mail templates', () => {
  it('links each app under PUBLIC_URL: the customer app at its root, staff apps below', () => {
    expect(appBase(context.publicUrl, 'customer')).toBe('https://bar.example.com/taproom');
    expect(appBase(context.publicUrl, 'admin')).toBe('https://bar.example.com/taproom/admin');
  });

  it('renders the reset mail in text and HTML with the venue name and an absolute link', () => {
    const mail = renderMail(
      {
        to: 'ann@example.com',
        template: 'password_reset',
        payload: { name: 'Ann <b>', app: 'bartender', sealedToken: 'sealed' },
      },
      context,
    );
    expect(mail.subject).toBe('Reset your The <Tap> & Co password');
    const link = 'https://bar.example.com/taproom/bartender/reset-password?token=tok_en-123';
    expect(mail.links).toEqual([link]);
    expect(mail.text).toContain(`Set a new password:\n${link}`);
    expect(mail.text).toContain('Hello Ann <b>,');
    expect(mail.text).toContain('30 minutes');
    // HTML: every piece of text escaped, the link as an attribute.
    expect(mail.html).toContain('Hello Ann &lt;b&gt;,');
    expect(mail.html).toContain('The &lt;Tap&gt; &amp; Co');
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).not.toContain('<b>');
  });

  it('renders a name on one line, whatever line breaks or separators it holds', () => {
    const mail = renderMail(
      {
        to: 'eve@example.com',
        template: 'password_reset_done',
        payload: { name: 'Eve\r\nReset here: https://evil.example\u2028\u0085x', app: 'customer' },
      },
      context,
    );
    expect(mail.text).toContain('Hello Eve Reset here: https://evil.example x,\n');
    expect(mail.html).toContain('Hello Eve Reset here: https://evil.example x,</p>');
  });

  it('names device, network and venue time in the new sign-in notice, with both links', () => {
    const mail = renderMail(
      {
        to: 'ann@example.com',
        template: 'new_sign_in',
        payload: {
          name: 'Ann',
          app: 'customer',
          device: 'Firefox on Linux',
          network: '203.0.113.x',
          at: '2026-12-06T20:04:00.000Z',
          sealedToken: 'sealed',
        },
      },
      context,
    );
    expect(mail.subject).toBe('New sign-in to Taproom');
    expect(mail.text).toContain('Device: Firefox on Linux');
    expect(mail.text).toContain('Approximate address: 203.0.113.x');
    expect(mail.text).toContain(`Time: ${venueTime('2026-12-06T20:04:00.000Z', 'Europe/Berlin')}`);
    expect(venueTime('2026-12-06T20:04:00.000Z', 'Europe/Berlin')).toContain('21:04');
    expect(mail.links).toEqual([
      'https://bar.example.com/taproom/sign-out-everywhere?token=tok_en-123',
      'https://bar.example.com/taproom/forgot-password',
    ]);
    expect(mail.html).toContain('Device: Firefox on Linux<br>');
  });

  it('sends the confirmation without any token', () => {
    const mail = renderMail(
      {
        to: 'a@example.com',
        template: 'password_reset_done',
        payload: { name: 'A', app: 'admin' },
      },
      context,
    );
    expect(mail.links).toEqual(['https://bar.example.com/taproom/admin/forgot-password']);
    expect(mail.text).not.toContain('tok_en');
  });
});

describe('link tokens', () => {
  it('are 32 random bytes, stored as their SHA-256', () => {
    const token = newLinkToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newLinkToken()).not.toBe(token);
    expect(hashLinkToken(token)).toHaveLength(32);
    expect(hashLinkToken(token).equals(hashLinkToken(token))).toBe(true);
  });

  it('are sealed for the outbox so that only the same secret opens them, and tampering fails', () => {
    const sealer = new LinkSealer('a-secret-of-at-least-thirty-two-bytes!!');
    const token = newLinkToken();
    const sealed = sealer.seal(token);
    expect(sealed).not.toContain(token);
    expect(sealer.open(sealed)).toBe(token);
    expect(() => new LinkSealer('another-secret-of-thirty-two-bytes!!!!').open(sealed)).toThrow();
    const raw = Buffer.from(sealed, 'base64url');
    const last = raw.length - 1;
    raw.writeUInt8(raw.readUInt8(last) ^ 1, last);
    expect(() => sealer.open(raw.toString('base64url'))).toThrow();
  });
});
