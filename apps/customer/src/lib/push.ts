import type { PushKey, PushSubscriptionRequest } from '@taproom/web-core/api/contracts';
import { api, session } from './session';

/**
 * Ready alerts on this device (Web Push), as the customer sees them: `unsupported` (no service
 * worker or Push API: an iPhone outside the Home Screen, an old browser), `blocked` (the
 * browser's notification permission is denied), `off`, or `on` for the signed-in customer.
 */
export type PushState = 'unsupported' | 'blocked' | 'off' | 'on';

/** Who turned alerts on in this browser, so that another customer signing in here starts off. */
const OWNER_KEY = 'taproom.push.owner';
/** Signing out does not wait longer than this for the server to forget the subscription. */
const SIGN_OUT_WAIT_MS = 3_000;

function pushSupported(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    'serviceWorker' in navigator &&
    typeof window !== 'undefined' &&
    'PushManager' in window &&
    'Notification' in window
  );
}

/** Registers the app's service worker (app shell and alerts); the production build only. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
}

function userId(): string | null {
  return session.getState().user?.id ?? null;
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Tells the server (again: it is idempotent) to alert this session at `subscription`. */
async function save(subscription: PushSubscription): Promise<void> {
  const json = subscription.toJSON();
  const body: PushSubscriptionRequest = {
    endpoint: subscription.endpoint,
    keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
  };
  await api.post('/push/subscriptions', body);
  const owner = userId();
  if (owner !== null) localStorage.setItem(OWNER_KEY, owner);
}

/**
 * The state as it is now. A subscription this customer made earlier is sent to the server again,
 * so it follows their current session (the server drops it when a session ends).
 */
export async function currentPushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  if (Notification.permission !== 'granted') return 'off';
  const subscription = await currentSubscription();
  if (subscription === null || localStorage.getItem(OWNER_KEY) !== userId()) return 'off';
  await save(subscription);
  return 'on';
}

function sameKey(subscription: PushSubscription, key: Uint8Array): boolean {
  const current = subscription.options.applicationServerKey;
  if (current === null) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === key.length && bytes.every((byte, index) => byte === key[index]);
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * Turns alerts on. Call it from a tap: browsers ask for the notification permission only in
 * answer to one.
 */
export async function enablePush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission === 'denied') return 'blocked';
  if (permission !== 'granted') return 'off';
  const [registration, key] = await Promise.all([
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(() => navigator.serviceWorker.ready),
    api.get<PushKey>('/push/key').then((response) => fromBase64Url(response.data.publicKey)),
  ]);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription !== null && !sameKey(subscription, key)) {
    // Made with another server key: the push service would refuse our messages.
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: key,
  });
  await save(subscription);
  return 'on';
}

/** Turns alerts off on this device: the server forgets the subscription, the browser drops it. */
export async function disablePush(): Promise<void> {
  if (!pushSupported()) return;
  localStorage.removeItem(OWNER_KEY);
  const subscription = await currentSubscription();
  if (subscription === null) return;
  await api
    .delete('/push/subscriptions', { data: { endpoint: subscription.endpoint } })
    .catch(() => undefined);
  await subscription.unsubscribe();
}

/** {@link disablePush} before signing out, but never holding the sign-out up for long. */
export function disablePushBeforeSignOut(): Promise<void> {
  return Promise.race([
    disablePush().catch(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, SIGN_OUT_WAIT_MS)),
  ]);
}
