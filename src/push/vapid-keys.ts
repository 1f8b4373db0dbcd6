import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webPush from 'web-push';
import type { PushConfig } from '../config/app-config.js';

/** The server's VAPID key pair (RFC 8292), base64url: the public key is the app's to subscribe with. */
export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
}

/**
 * The VAPID keys: `VAPID_PUBLIC_KEY`/`VAPID_PRIVATE_KEY` when set; else, for a single instance
 * outside production, a pair generated once and kept in `<dataDir>/vapid.json` (mode 0600), so
 * the browsers' subscriptions survive a restart; else none, and push is off.
 */
export function resolveVapidKeys(config: PushConfig, dataDir: string): VapidKeys | undefined {
  if (config.vapidKeys !== undefined) return config.vapidKeys;
  if (!config.generateKeys) return undefined;
  const file = join(dataDir, 'vapid.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (typeof stored.publicKey === 'string' && typeof stored.privateKey === 'string') {
      return { publicKey: stored.publicKey, privateKey: stored.privateKey };
    }
  }
  const { publicKey, privateKey } = webPush.generateVAPIDKeys();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ publicKey, privateKey }), { mode: 0o600 });
  return { publicKey, privateKey };
}
