import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { FakeApi } from '../testing/fake-api';
import { manualActivitySource } from './activity';
import { localLockManager, type LockManagerLike } from './locks';
import { SessionManager, type ChannelLike } from './session-manager';

/** Lets messages between BroadcastChannels (delivered by Node's event loop, not by timers) arrive. */
async function flushChannels(): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await new Promise<void>((resolve) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => {
        port1.close();
        resolve();
      };
      port2.postMessage(0);
    });
  }
}

let channelCount = 0;

interface Tab {
  session: SessionManager;
  activity: ReturnType<typeof manualActivitySource>;
  api: ReturnType<typeof createApiClient>;
}

function openTab(
  server: FakeApi,
  shared: { locks?: LockManagerLike; channelName?: string } = {},
): Tab {
  const activity = manualActivitySource();
  const channel: ChannelLike | null =
    shared.channelName === undefined ? null : new BroadcastChannel(shared.channelName);
  const session = new SessionManager({
    app: 'customer',
    adapter: server.adapter,
    activity,
    channel,
    locks: shared.locks ?? localLockManager(),
  });
  return { session, activity, api: createApiClient(session, { adapter: server.adapter }) };
}

const tabs: Tab[] = [];
function tab(server: FakeApi, shared?: { locks?: LockManagerLike; channelName?: string }): Tab {
  const opened = openTab(server, shared);
  tabs.push(opened);
  return opened;
}

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  vi.setSystemTime(new Date('2026-11-27T20:00:00Z'));
});

afterEach(() => {
  for (const opened of tabs.splice(0)) opened.session.dispose();
  vi.useRealTimers();
});

describe('SessionManager: proactive refresh', () => {
  it('refreshes about a minute before the access token expires when the person was active', async () => {
    const server = new FakeApi();
    const { session, activity } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    const first = session.getState().accessToken;

    await vi.advanceTimersByTimeAsync(60_000);
    activity.touch();
    await vi.advanceTimersByTimeAsync(478_000); // 538 s after login: not yet
    expect(server.refreshCalls).toBe(0);

    await vi.advanceTimersByTimeAsync(3_000); // 541 s: inside the last minute
    expect(server.refreshCalls).toBe(1);
    expect(session.getState().accessToken).not.toBe(first);
    expect(session.getState().status).toBe('signedIn');
  });

  it('uses a quarter of a short lifetime as the lead (ACCESS_TOKEN_TTL=20s refreshes at 15 s)', async () => {
    const server = new FakeApi();
    server.ttlSeconds = 20;
    const { session, activity } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    await vi.advanceTimersByTimeAsync(1_000);
    activity.touch();
    await vi.advanceTimersByTimeAsync(13_900);
    expect(server.refreshCalls).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(server.refreshCalls).toBe(1);
  });

  it('does not refresh without activity: the token lapses and the session goes dormant', async () => {
    const server = new FakeApi();
    const { session, activity } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');

    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(server.refreshCalls).toBe(0);
    expect(session.getState().dormant).toBe(true);
    expect(session.getState().status).toBe('signedIn');

    // The person comes back: one refresh, and the session carries on.
    activity.touch();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.refreshCalls).toBe(1);
    expect(session.getState().dormant).toBe(false);
  });

  it('says "signed out after inactivity" when the server let the dormant session idle out', async () => {
    const server = new FakeApi();
    const { session, activity } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    await vi.advanceTimersByTimeAsync(31 * 60_000);
    server.refreshError = 'REFRESH_INVALID';
    activity.touch();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(session.getState()).toMatchObject({ status: 'signedOut', signedOutReason: 'idle' });
  });

  it('lets a request made while dormant wait for the person, then refresh once', async () => {
    const server = new FakeApi();
    const { session, activity, api } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    await vi.advanceTimersByTimeAsync(11 * 60_000);

    let answered = false;
    const request = api.get('/things').then(() => (answered = true));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(answered).toBe(false);
    expect(server.refreshCalls).toBe(0);

    activity.touch();
    await vi.advanceTimersByTimeAsync(1_000);
    await request;
    expect(server.refreshCalls).toBe(1);
    expect(server.thingCalls).toBe(1);
  });
});

describe('SessionManager: one refresh at a time', () => {
  it('sends one refresh for ten concurrent requests made during a refresh, all with the new token', async () => {
    const server = new FakeApi();
    server.refreshDelayMs = 500;
    const { session, api } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    const old = session.getState().accessToken;

    const refreshing = session.refresh(old);
    const requests = Array.from({ length: 10 }, () => api.get<{ token: string }>('/things'));
    await vi.advanceTimersByTimeAsync(1_000);
    const answers = await Promise.all(requests);
    await refreshing;

    expect(server.refreshCalls).toBe(1);
    const fresh = session.getState().accessToken;
    expect(fresh).not.toBe(old);
    expect(answers.map((a) => a.data.token)).toEqual(Array(10).fill(fresh));
  });

  it('sends one refresh when ten requests meet 401 TOKEN_EXPIRED at once, and retries each once', async () => {
    const server = new FakeApi();
    server.refreshDelayMs = 200;
    const { session, api } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    server.expiredBefore = Date.now() + 1; // the server considers the current token expired

    const requests = Array.from({ length: 10 }, () => api.get('/things'));
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(requests);
    expect(server.refreshCalls).toBe(1);
    expect(server.thingCalls).toBe(20);
  });

  it('retries a request once after 401 TOKEN_EXPIRED, and not again', async () => {
    const server = new FakeApi();
    const { session, api } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    server.forceThingsError = 'TOKEN_EXPIRED';

    const failed = api.get('/things').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await failed;
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('TOKEN_EXPIRED');
    expect(server.thingCalls).toBe(2);
    expect(server.refreshCalls).toBe(1);
  });
});

describe('SessionManager: signing out', () => {
  it('signs out with the reason when a request gets 401 SESSION_REVOKED', async () => {
    const server = new FakeApi();
    const { session, api } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    server.forceThingsError = 'SESSION_REVOKED';

    await expect(api.get('/things')).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
    expect(session.getState()).toMatchObject({
      status: 'signedOut',
      accessToken: null,
      signedOutReason: 'revoked',
    });
  });

  it('signs out when a refresh is answered REFRESH_REUSED', async () => {
    const server = new FakeApi();
    const { session } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    server.refreshError = 'REFRESH_REUSED';
    await expect(session.refresh(session.getState().accessToken)).resolves.toBeNull();
    expect(session.getState().signedOutReason).toBe('reuse_detected');
  });

  it('uses the reason from the live stream (evicted) for a later SESSION_REVOKED', async () => {
    const server = new FakeApi();
    const { session } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    session.handleRevoked('s1', 'evicted');
    expect(session.getState()).toMatchObject({ status: 'signedOut', signedOutReason: 'evicted' });
  });

  it('restores a session on page load with one refresh call', async () => {
    const server = new FakeApi();
    server.hasCookie = true;
    const { session } = tab(server);
    const loading = Promise.all([session.restore(), session.restore(), session.getAccessToken()]);
    await vi.advanceTimersByTimeAsync(500);
    await loading;
    expect(server.refreshCalls).toBe(1);
    expect(session.getState().status).toBe('signedIn');
  });

  it('treats a page load without a refresh cookie as simply signed out, with no notice', async () => {
    const server = new FakeApi();
    const { session } = tab(server);
    const loading = session.restore();
    await vi.advanceTimersByTimeAsync(500);
    await loading;
    expect(server.refreshCalls).toBe(1);
    expect(session.getState()).toMatchObject({ status: 'signedOut', signedOutReason: null });
  });
});

describe('SessionManager: tabs', () => {
  it('makes two tabs of one app refresh once, and share the new token', async () => {
    const server = new FakeApi();
    server.refreshDelayMs = 50;
    const channelName = `taproom-session-test-${++channelCount}`;
    const locks = localLockManager();
    const a = tab(server, { locks, channelName });
    const b = tab(server, { locks, channelName });
    await a.session.login('ann@example.com', 'long-enough-password');
    await flushChannels();
    expect(b.session.getState().accessToken).toBe(a.session.getState().accessToken);

    await vi.advanceTimersByTimeAsync(60_000);
    a.activity.touch();
    b.activity.touch();
    // Both tabs' timers fire at 540 s; A takes the lock and refreshes, B waits for it.
    await vi.advanceTimersByTimeAsync(480_100);
    await flushChannels();
    await vi.advanceTimersByTimeAsync(500);
    await flushChannels();

    expect(server.refreshCalls).toBe(1);
    expect(a.session.refreshCount + b.session.refreshCount).toBe(1);
    expect(b.session.getState().accessToken).toBe(a.session.getState().accessToken);
    expect(server.validTokens.get(b.session.getState().accessToken ?? '')).toBeDefined();
  });

  it('signs the other tab out when one tab signs out, and says so', async () => {
    const server = new FakeApi();
    const channelName = `taproom-session-test-${++channelCount}`;
    const locks = localLockManager();
    const a = tab(server, { locks, channelName });
    const b = tab(server, { locks, channelName });
    await a.session.login('ann@example.com', 'long-enough-password');
    await flushChannels();
    expect(b.session.getState().status).toBe('signedIn');

    await a.session.logout();
    await flushChannels();
    expect(server.logoutCalls).toBe(1);
    expect(a.session.getState()).toMatchObject({
      status: 'signedOut',
      signedOutReason: 'signed_out',
    });
    expect(b.session.getState()).toMatchObject({
      status: 'signedOut',
      signedOutReason: 'signed_out_elsewhere',
    });
  });
});

describe('SessionManager: a token the server no longer accepts', () => {
  it('refreshes once on 401 TOKEN_INVALID and signs out if the retry is refused too', async () => {
    const server = new FakeApi();
    const { session, api } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    server.forceThingsError = 'TOKEN_INVALID';

    const failed = api.get('/things').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await failed).toMatchObject({ code: 'TOKEN_INVALID' });
    expect(server.refreshCalls).toBe(1);
    expect(server.thingCalls).toBe(2);
    expect(session.getState().status).toBe('signedOut');
  });
});
