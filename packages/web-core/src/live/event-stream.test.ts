import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../api/contracts';
import { manualActivitySource } from '../auth/activity';
import { SessionManager } from '../auth/session-manager';
import { FakeApi } from '../testing/fake-api';
import { LiveStream } from './event-stream';

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
});
