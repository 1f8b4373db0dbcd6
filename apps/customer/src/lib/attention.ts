/**
 * Draws the eye to a tab whose order is ready: a title and favicon that say so, and a buzz on
 * phones that can. {@link restoreAttention} puts the page back as it was.
 */
const READY_ICON = '/favicon-ready.svg';

let saved: { title: string; icon: string | null } | null = null;

function iconLink(): HTMLLinkElement | null {
  return document.querySelector<HTMLLinkElement>('link[rel="icon"]');
}

function readyTitle(number: number): string {
  return `● Ready — #${String(number)} · Taproom`;
}

export function showReady(number: number): void {
  const link = iconLink();
  saved ??= { title: document.title, icon: link?.getAttribute('href') ?? null };
  document.title = readyTitle(number);
  link?.setAttribute('href', READY_ICON);
  if (typeof navigator.vibrate === 'function') navigator.vibrate([200, 100, 200]);
}

export function restoreAttention(): void {
  if (saved === null) return;
  document.title = saved.title;
  if (saved.icon !== null) iconLink()?.setAttribute('href', saved.icon);
  saved = null;
}
