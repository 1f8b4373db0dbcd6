/*
 * Taproom's service worker (customer app). It keeps the app shell (index.html and the
 * content-hashed files under /assets/) so the app opens on a flaky bar Wi-Fi, and shows the
 * ready alerts the server pushes. It never touches /api/: orders, menu and sessions always come
 * from the network.
 */
const SHELL_CACHE = 'taproom-shell-v1';
const INDEX = '/index.html';
/** Asset files kept: a deploy's new hashed names push the oldest out, so the cache stays small. */
const MAX_ASSETS = 60;

/** Keeps `request`'s answer, then drops the oldest assets beyond MAX_ASSETS (the shell stays). */
async function keepAsset(request, response) {
  const cache = await caches.open(SHELL_CACHE);
  await cache.put(request, response);
  const assets = (await cache.keys()).filter((key) =>
    new URL(key.url).pathname.startsWith('/assets/'),
  );
  await Promise.all(assets.slice(0, -MAX_ASSETS).map((key) => cache.delete(key)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    fetch('/', { cache: 'no-cache' })
      .then((response) =>
        response.ok ? caches.open(SHELL_CACHE).then((cache) => cache.put(INDEX, response)) : null,
      )
      // Offline at install: the shell is kept at the next visit; alerts work regardless.
      .catch(() => null)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name !== SHELL_CACHE).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Read as the server reads it: `/%62artender/` is the bar's app too.
  let path;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return;
  }
  if (path === '/api' || path.startsWith('/api/')) return;
  // The other apps (bar, admin) are not this worker's to serve.
  if (/^\/(bartender|admin)(\/|$)/.test(path)) return;
  if (request.mode === 'navigate') {
    // Network first, so a deploy shows at once; the kept shell when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          // Only the app's own page is the shell: not a file opened directly (the manifest).
          const html = (response.headers.get('content-type') ?? '').startsWith('text/html');
          if (response.ok && html) {
            const copy = response.clone();
            void caches.open(SHELL_CACHE).then((cache) => cache.put(INDEX, copy));
          }
          return response;
        })
        .catch(() => caches.match(INDEX).then((cached) => cached ?? Response.error())),
    );
    return;
  }
  if (path.startsWith('/assets/')) {
    // Content-hashed: a file never changes under its name.
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ??
          fetch(request).then((response) => {
            if (response.ok) void keepAsset(request, response.clone());
            return response;
          }),
      ),
    );
  }
});

/** `{title, body, url, orderId, status, number}` as the server sends it. */
self.addEventListener('push', (event) => {
  let message;
  try {
    message = event.data ? event.data.json() : null;
  } catch {
    message = null;
  }
  if (!message || typeof message.title !== 'string') return;
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      // One notification per order: "cancelled" replaces "ready", and so on.
      tag: `order-${message.orderId}`,
      renotify: true,
      requireInteraction: message.status === 'ready',
      vibrate: [200, 100, 200],
      data: { url: message.url, orderId: message.orderId, status: message.status },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url ?? '/', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (!open) return self.clients.openWindow(target);
      // navigate() works on a window this worker controls; any other gets a new one.
      return open
        .focus()
        .then((client) => client.navigate(target))
        .catch(() => self.clients.openWindow(target));
    }),
  );
});
