import { UAParser } from 'ua-parser-js';

const UNKNOWN = 'Unknown device';

/** "Mobile Chrome" and "Mobile Safari" read better as the browser's own name. */
function browserName(name: string | undefined): string | undefined {
  return name?.replace(/^Mobile /, '');
}

/**
 * A readable label for a session's user agent, such as "Chrome on Android" or "Firefox on
 * Windows"; "Unknown device" when the agent says nothing recognisable.
 */
export function deviceLabel(userAgent: string | undefined | null): string {
  if (!userAgent) return UNKNOWN;
  const result = UAParser(userAgent.slice(0, 512));
  const browser = browserName(result.browser.name);
  const os = result.os.name;
  if (browser && os) return `${browser} on ${os}`;
  if (browser) return browser;
  if (os) return `${os} device`;
  return UNKNOWN;
}
