import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../api/contracts';
import { manualActivitySource } from '../auth/activity';
import { SessionManager } from '../auth/session-manager';
import { FakeApi } from '../testing/fake-api';
import { LiveStream } from './event-stream';
import type { NetworkStatus } from './network-status';

function sseResponse(chunks: string[], keepOpen: boolean): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (!keepOpen) controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

/** An SSE response that stays open until the request is aborted, as a real one would. */
function openStream(chunks: string[], signal: AbortSignal | null | undefined): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      signal?.addEventListener('abort', () => {
        controller.error(new DOMException('The operation was aborted.', 'AbortError'));
      });
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

/** A network that the test takes down and brings back, as the browser's events would say. */
function switchableNetwork(): NetworkStatus & { set: (online: boolean) => void } {
  let online = true;
  const listeners = new Set<() => void>();
  return {
    isOnline: () => online,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set: (value) => {
      online = value;
      for (const listener of listeners) listener();
    },
  };
}

async function signedIn(): Promise<SessionManager> {
  const server = new FakeApi();
  const session = new SessionManager({
    app: 'customer',
    adapter: server.adapter,
    channel: null,
    activity: manualActivitySource(),
  });
  await session.login('ann@example.com', 'long-enough-password');
  return session;
}

const disposers: (() => void)[] = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
});

describe('LiveStream', () => {
  it('sends the bearer, delivers events, and reconnects with Last-Event-ID', async () => {
    const session = await signedIn();
    const requests: Headers[] = [];
    const fetchImpl = vi.fn((_url: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Headers(init?.headers));
      const first = requests.length === 1;
      return Promise.resolve(
        first
          ? sseResponse(['id: 7\nevent: menu.updated\ndata: {}\n\n', ': heartbeat\n\n'], false)
          : sseResponse([], true),
      );
    });
    const events: LiveEvent[] = [];
    const stream = new LiveStream({
      session,
      onEvent: (e) => {
        events.push(e);
      },
      fetch: fetchImpl,
      random: () => 0,
    });
    disposers.push(
      () => {
        stream.stop();
      },
      () => {
        session.dispose();
      },
    );
    stream.start();
    await vi.waitFor(
      () => {
        expect(requests.length).toBe(2);
      },
      { timeout: 3_000 },
    );

    expect(events).toEqual([{ type: 'menu.updated', id: '7', data: {} }]);
    expect(requests[0]?.get('authorization')).toBe(
      `Bearer ${session.getState().accessToken ?? ''}`,
    );
    expect(requests[0]?.has('last-event-id')).toBe(false);
    expect(requests[1]?.get('last-event-id')).toBe('7');
    await vi.waitFor(() => {
      expect(stream.getState()).toBe('live');
    });
  });

  it('signs out with the reason from session.revoked and stops', async () => {
    const session = await signedIn();
    const fetchImpl = vi.fn(() =>
      Promise.resolve(
        sseResponse(
          ['id: 9\nevent: session.revoked\ndata: {"sessionId":"s1","reason":"evicted"}\n\n'],
          true,
        ),
      ),
    );
    const stream = new LiveStream({ session, onEvent: () => undefined, fetch: fetchImpl });
    disposers.push(
      () => {
        stream.stop();
      },
      () => {
        session.dispose();
      },
    );
    stream.start();
    await vi.waitFor(() => {
      expect(session.getState().status).toBe('signedOut');
    });
    expect(session.getState().signedOutReason).toBe('evicted');
    await vi.waitFor(() => {
      expect(stream.getState()).toBe('offline');
    });
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });

  it('says offline at once when the network goes, and reconnects as soon as it returns', async () => {
    const session = await signedIn();
    const network = switchableNetwork();
    const requests: Headers[] = [];
    const fetchImpl = vi.fn((_url: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Headers(init?.headers));
      return Promise.resolve(
        openStream(['id: 3\nevent: menu.updated\ndata: {}\n\n'], init?.signal),
      );
    });
    // random 1 makes the shortest backoff 1.2 s: a reconnect faster than that skipped it.
    const stream = new LiveStream({
      session,
      onEvent: () => undefined,
      fetch: fetchImpl,
      network,
      random: () => 1,
    });
    disposers.push(
      () => {
        stream.stop();
      },
      () => {
        session.dispose();
      },
    );
    stream.start();
    await vi.waitFor(() => {
      expect(stream.getState()).toBe('live');
    });

    network.set(false);
    expect(stream.getState()).toBe('offline');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests).toHaveLength(1); // no attempts while there is no network
    expect(stream.getState()).toBe('offline');

    network.set(true);
    await vi.waitFor(
      () => {
        expect(stream.getState()).toBe('live');
      },
      { timeout: 500 },
    );
    expect(requests).toHaveLength(2);
    expect(requests[1]?.get('last-event-id')).toBe('3');
  });

  it('does not try to connect while the device is offline', async () => {
    const session = await signedIn();
    const network = switchableNetwork();
    network.set(false);
    const fetchImpl = vi.fn((_url: RequestInfo | URL, init?: RequestInit) =>
      Promise.resolve(openStream([], init?.signal)),
    );
    const stream = new LiveStream({ session, onEvent: () => undefined, fetch: fetchImpl, network });
    disposers.push(
      () => {
        stream.stop();
      },
      () => {
        session.dispose();
      },
    );
    stream.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stream.getState()).toBe('offline');
    expect(fetchImpl).not.toHaveBeenCalled();

    network.set(true);
    await vi.waitFor(
      () => {
        expect(stream.getState()).toBe('live');
      },
      { timeout: 500 },
    );
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });
});
