import type { AppName } from '../auth/auth-context.js';

/** Every kind of mail, with what its payload holds (tokens sealed: see `LinkSealer`). */
interface MailPayloads {
  /** The link to set a new password. */
  password_reset: { name: string; app: AppName; sealedToken: string };
  /** The confirmation after a reset. */
  password_reset_done: { name: string; app: AppName };
  /** A sign-in from a device and network not seen in 90 days. */
  new_sign_in: {
    name: string;
    app: AppName;
    device: string;
    network: string;
    /** ISO instant of the sign-in. */
    at: string;
    sealedToken: string;
  };
}

type MailTemplate = keyof MailPayloads;

/** A queued message as the caller describes it. */
export type MailMessage = {
  [T in MailTemplate]: {
    readonly to: string;
    readonly template: T;
    readonly payload: MailPayloads[T];
  };
}[MailTemplate];

/** What rendering needs besides the payload. */
export interface MailContext {
  readonly venueName: string;
  /** `PUBLIC_URL`, no trailing slash. */
  readonly publicUrl: string;
  readonly timeZone: string;
  /** The link token of the payload, unsealed (only for the send). */
  readonly token?: string;
}

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Every absolute link in the mail (the dev log line shows them). */
  readonly links: readonly string[];
}

/** Where an app lives under `PUBLIC_URL`: the customer app at the root, staff apps below. */
export function appBase(publicUrl: string, app: AppName): string {
  return app === 'customer' ? publicUrl : `${publicUrl}/${app}`;
}

/** An app's page with a `token` query parameter. */
function tokenLink(context: MailContext, app: AppName, page: string): string {
  const url = new URL(`${appBase(context.publicUrl, app)}/${page}`);
  url.searchParams.set('token', context.token ?? '');
  return url.toString();
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A value from the account (a name, a device label) on one line: line breaks, other control
 * characters and line or paragraph separators become a space, so it cannot pose as more lines
 * of the mail. Names are refused with them anyway; this holds for older rows too.
 */
function oneLine(value: string): string {
  return value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();
}

/** A paragraph of text, or a link, in both renderings. */
type Block = { readonly text: string } | { readonly label: string; readonly href: string };

function compose(subject: string, venueName: string, blocks: readonly Block[]): RenderedMail {
  const text = [
    ...blocks.map((block) => ('href' in block ? `${block.label}:\n${block.href}` : block.text)),
    `— ${venueName}`,
  ].join('\n\n');
  const body = blocks
    .map((block) =>
      'href' in block
        ? `<p><a href="${escapeHtml(block.href)}" style="display:inline-block;padding:10px 16px;background:#1c7ed6;color:#ffffff;border-radius:6px;text-decoration:none">${escapeHtml(block.label)}</a></p>`
        : `<p>${escapeHtml(block.text).replace(/\n/g, '<br>')}</p>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#212529;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">
<h1 style="font-size:20px">${escapeHtml(venueName)}</h1>
${body}
<p style="color:#868e96;font-size:13px">— ${escapeHtml(venueName)}</p>
</body></html>`;
  const links = blocks.flatMap((block) => ('href' in block ? [block.href] : []));
  return { subject, text: `${text}\n`, html, links };
}

/** A time in the venue's zone, e.g. "7 December 2026, 21:04 (Europe/Berlin)". */
export function venueTime(iso: string, timeZone: string): string {
  const formatted = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
  return `${formatted} (${timeZone})`;
}

/** Renders a message: subject, plain text, simple HTML, and its links. Pure. */
export function renderMail(message: MailMessage, context: MailContext): RenderedMail {
  const venue = context.venueName;
  switch (message.template) {
    case 'password_reset': {
      const { name, app } = message.payload;
      return compose(`Reset your ${venue} password`, venue, [
        { text: `Hello ${oneLine(name)},` },
        {
          text: `Someone (we hope you) asked to reset the password of your ${venue} account. The link works once, for 30 minutes.`,
        },
        { label: 'Set a new password', href: tokenLink(context, app, 'reset-password') },
        {
          text: 'If you did not ask for this, ignore this mail: your password stays as it is.',
        },
      ]);
    }
    case 'password_reset_done': {
      const { name, app } = message.payload;
      return compose(`Your ${venue} password was changed`, venue, [
        { text: `Hello ${oneLine(name)},` },
        {
          text: `The password of your ${venue} account was just reset, and every device was signed out.`,
        },
        {
          text: 'If this was not you, reset it again right away and tell the staff.',
        },
        {
          label: 'Reset your password',
          href: `${appBase(context.publicUrl, app)}/forgot-password`,
        },
      ]);
    }
    case 'new_sign_in': {
      const { name, app, device, network, at } = message.payload;
      return compose('New sign-in to Taproom', venue, [
        { text: `Hello ${oneLine(name)},` },
        {
          text: `Your ${venue} account was just signed in to from a device we have not seen lately.`,
        },
        {
          text: `Device: ${oneLine(device)}\nApproximate address: ${oneLine(network)}\nTime: ${venueTime(at, context.timeZone)}`,
        },
        { text: 'If this was you, there is nothing to do.' },
        {
          text: 'If it was not, sign out everywhere and then reset your password:',
        },
        {
          label: 'Sign out everywhere',
          href: tokenLink(context, app, 'sign-out-everywhere'),
        },
        {
          label: 'Reset your password',
          href: `${appBase(context.publicUrl, app)}/forgot-password`,
        },
      ]);
    }
  }
}
