import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { FakeApi } from '../testing/fake-api';
import { kioskActivitySource, manualActivitySource } from './activity';
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

  it('keeps a bar tablet that shows the board signed in through a 12-hour shift nobody touches', async () => {
    const server = new FakeApi();
    const session = new SessionManager({
      app: 'bartender',
      adapter: server.adapter,
      // The bar app's source: input, plus a visible screen counting as activity every minute.
      activity: kioskActivitySource({ base: manualActivitySource(), isVisible: () => true }),
      channel: null,
      locks: localLockManager(),
    });
    try {
      await session.login('bar@example.com', 'long-enough-password');
      const hours = 12;
      await vi.advanceTimersByTimeAsync(hours * 3600_000);
      expect(session.getState()).toMatchObject({ status: 'signedIn', dormant: false });
      // One refresh per 10-minute token, a minute before it expires: never a lapse.
      const perHour = 3600 / (server.ttlSeconds - 60);
      expect(server.refreshCalls).toBeGreaterThanOrEqual(Math.floor(hours * perHour) - 1);
      expect(server.refreshCalls).toBeLessThanOrEqual(Math.ceil(hours * perHour) + 1);
    } finally {
      session.dispose();
    }
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

describe('SessionManager: the idle deadline', () => {
  it('puts the session’s idle deadline on the local clock, whatever the server’s clock says', async () => {
    const server = new FakeApi();
    server.clockOffsetMs = 5 * 60_000;
    server.idleTimeoutSeconds = 1_800;
    const { session } = tab(server);
    await session.login('ann@example.com', 'long-enough-password');
    // The `Date` header has whole seconds: within one of half an hour from now, local time.
    const left = session.getState().idleExpiresAt - Date.now();
    expect(left).toBeGreaterThan(1_800_000 - 1_000);
    expect(left).toBeLessThanOrEqual(1_800_000 + 1_000);
  });

  it('signs every tab out with the reason the inactivity warning gives, naming the timeout', async () => {
    const server = new FakeApi();
    server.idleTimeoutSeconds = 1_800;
    const channelName = `taproom-session-test-${++channelCount}`;
    const locks = localLockManager();
    const a = tab(server, { locks, channelName });
    const b = tab(server, { locks, channelName });
    await a.session.login('ann@example.com', 'long-enough-password');
    await flushChannels();
    expect(b.session.getState().idleExpiresAt).toBe(a.session.getState().idleExpiresAt);

    await a.session.logout('idle');
    await flushChannels();
    expect(server.logoutCalls).toBe(1);
    for (const { session } of [a, b]) {
      expect(session.getState()).toMatchObject({
        status: 'signedOut',
        signedOutReason: 'idle',
        lastIdleTimeoutSeconds: 1_800,
      });
    }
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

describe('SessionManager: sign-out after the tab sat idle', () => {
  /**
   * Opens `count` tabs of the app, signs in in the first, then lets the access token lapse
   * untouched (every tab goes dormant).
   */
  async function idleTabs(
    server: FakeApi,
    count: number,
    shared?: { locks?: LockManagerLike; channelName?: string },
  ): Promise<Tab[]> {
    const opened = Array.from({ length: count }, () => tab(server, shared));
    await opened[0]?.session.login('ann@example.com', 'long-enough-password');
    await flushChannels();
    await vi.advanceTimersByTimeAsync(11 * 60_000);
    for (const each of opened) {
      expect(each.session.getState()).toMatchObject({ status: 'signedIn', dormant: true });
    }
    return opened;
  }

  async function idleTab(server: FakeApi, shared?: { channelName?: string }): Promise<Tab> {
    const [opened] = await idleTabs(server, 1, shared);
    if (opened === undefined) throw new Error('no tab');
    return opened;
  }

  /** Records what the app's other tabs would hear on its channel. */
  function listen(channelName: string): { heard: unknown[]; close: () => void } {
    const heard: unknown[] = [];
    const channel = new BroadcastChannel(channelName);
    channel.onmessage = (event: MessageEvent) => {
      heard.push(event.data);
    };
    return {
      heard,
      close: () => {
        channel.close();
      },
    };
  }

  it('names its app and sends the bearer, even an expired one', async () => {
    const server = new FakeApi();
    const { session } = await idleTab(server);
    const token = session.getState().accessToken;

    await session.logout();
    expect(server.logouts).toEqual([{ app: 'customer', bearer: token }]);
    expect(server.hasCookie).toBe(false);
  });

  it('names its app when it has no token at all (the cookie names the session)', async () => {
    const server = new FakeApi();
    const { session } = tab(server);
    await session.logout();
    expect(server.logouts).toEqual([{ app: 'customer', bearer: null }]);
  });

  it('waits for the refresh the sign-out press started, drops its answer, then signs out', async () => {
    const server = new FakeApi();
    server.refreshDelayMs = 300;
    const channelName = `taproom-session-test-${++channelCount}`;
    const { session, activity } = await idleTab(server, { channelName });
    const token = session.getState().accessToken;
    const otherTab = listen(channelName);

    // The press on "Sign out" counts as activity first: the dormant tab starts a refresh.
    activity.touch();
    await vi.advanceTimersByTimeAsync(10);
    expect(server.log).toEqual(['refresh sent']);
    const signingOut = session.logout();
    await vi.advanceTimersByTimeAsync(1_000);
    await signingOut;
    await flushChannels();

    expect(server.log).toEqual([
      'refresh sent',
      'refresh answered',
      'logout sent',
      'logout answered',
    ]);
    expect(server.logouts).toEqual([{ app: 'customer', bearer: token }]);
    expect(server.hasCookie).toBe(false);
    expect(session.getState()).toMatchObject({ status: 'signedOut', accessToken: null });
    expect(otherTab.heard).toEqual([{ type: 'signed-out', reason: 'signed_out' }]);
    // Nothing brings it back afterwards.
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    await flushChannels();
    otherTab.close();
    expect(session.getState().status).toBe('signedOut');
    expect(otherTab.heard).toHaveLength(1);
  });

  it('starts no refresh on activity once sign-out has begun', async () => {
    const server = new FakeApi();
    server.logoutDelayMs = 300;
    const { session, activity } = await idleTab(server);

    const signingOut = session.logout();
    activity.touch();
    await vi.advanceTimersByTimeAsync(100);
    activity.touch();
    await vi.advanceTimersByTimeAsync(1_000);
    await signingOut;
    activity.touch();
    await vi.advanceTimersByTimeAsync(1_000);

    expect(server.log).toEqual(['logout sent', 'logout answered']);
    expect(session.getState().status).toBe('signedOut');
  });

  it('is not signed back in by another tab sharing a token of the session it ended', async () => {
    const server = new FakeApi();
    const channelName = `taproom-session-test-${++channelCount}`;
    const { session } = await idleTab(server, { channelName });
    const { user, session: ended } = session.getState();
    await session.logout();

    const otherTab = new BroadcastChannel(channelName);
    const share = (sessionId: string) => {
      otherTab.postMessage({
        type: 'token',
        accessToken: `late-${sessionId}`,
        expiresAt: Date.now() + 600_000,
        lifetimeMs: 600_000,
        user,
        session: { ...ended, id: sessionId },
      });
    };
    share('s1');
    await flushChannels();
    expect(session.getState()).toMatchObject({ status: 'signedOut', accessToken: null });

    // Signing in again in another tab (a new session) still signs this tab in.
    share('s2');
    await flushChannels();
    otherTab.close();
    expect(session.getState()).toMatchObject({ status: 'signedIn', accessToken: 'late-s2' });
  });

  it('keeps its own reason when the live stream or a request hears of the sign-out it made', async () => {
    const server = new FakeApi();
    server.logoutDelayMs = 300;
    const channelName = `taproom-session-test-${++channelCount}`;
    const { session } = await idleTab(server, { channelName });
    const otherTab = listen(channelName);

    const signingOut = session.logout();
    await vi.advanceTimersByTimeAsync(100);
    // The server revoked the session and said so on the stream before answering the sign-out.
    session.handleRevoked('s1', 'logout');
    session.endFromError('SESSION_REVOKED');
    await vi.advanceTimersByTimeAsync(1_000);
    await signingOut;
    session.handleRevoked('s1', 'logout');
    await flushChannels();
    otherTab.close();

    expect(session.getState()).toMatchObject({
      status: 'signedOut',
      signedOutReason: 'signed_out',
    });
    expect(otherTab.heard).toEqual([{ type: 'signed-out', reason: 'signed_out' }]);
  });

  it("waits for another tab's refresh, and leaves both tabs signed out with the cookie gone", async () => {
    const server = new FakeApi();
    server.refreshDelayMs = 300;
    const channelName = `taproom-session-test-${++channelCount}`;
    const [a, b] = await idleTabs(server, 2, { locks: localLockManager(), channelName });
    if (a === undefined || b === undefined) throw new Error('no tabs');

    // Tab B is refreshing when the person signs out in tab A.
    b.activity.touch();
    await vi.advanceTimersByTimeAsync(10);
    expect(server.log).toEqual(['refresh sent']);
    const signingOut = a.session.logout();
    await vi.advanceTimersByTimeAsync(400);
    await flushChannels();
    await vi.advanceTimersByTimeAsync(1_000);
    await signingOut;
    await flushChannels();

    expect(server.log).toEqual([
      'refresh sent',
      'refresh answered',
      'logout sent',
      'logout answered',
    ]);
    expect(server.hasCookie).toBe(false);
    expect(a.session.getState()).toMatchObject({
      status: 'signedOut',
      signedOutReason: 'signed_out',
    });
    expect(b.session.getState()).toMatchObject({
      status: 'signedOut',
      signedOutReason: 'signed_out_elsewhere',
    });
  });

  it('goes ahead without the lock when a refresh in another tab hangs', async () => {
    const server = new FakeApi();
    server.refreshDelayMs = 60_000;
    const channelName = `taproom-session-test-${++channelCount}`;
    const [a, b] = await idleTabs(server, 2, { locks: localLockManager(), channelName });
    if (a === undefined || b === undefined) throw new Error('no tabs');

    b.activity.touch();
    await vi.advanceTimersByTimeAsync(10);
    let done = false;
    const signingOut = a.session.logout().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    await signingOut;
    expect(server.log).toEqual(['refresh sent', 'logout sent', 'logout answered']);
    await flushChannels();
    expect(a.session.getState().status).toBe('signedOut');

    // The refresh answers at last: B heard the sign-out, so it drops the answer.
    await vi.advanceTimersByTimeAsync(60_000);
    await flushChannels();
    expect(b.session.getState()).toMatchObject({
      status: 'signedOut',
      signedOutReason: 'signed_out_elsewhere',
    });
    expect(a.session.getState().status).toBe('signedOut');
  });

  it('drops the refresh in flight in a tab that hears another tab signed out', async () => {
    const server = new FakeApi();
    server.refreshDelayMs = 300;
    const channelName = `taproom-session-test-${++channelCount}`;
    // No shared lock (a browser without Web Locks): the tabs cannot wait for each other.
    const [a, b] = await idleTabs(server, 2, { channelName });
    if (a === undefined || b === undefined) throw new Error('no tabs');

    b.activity.touch();
    await vi.advanceTimersByTimeAsync(10);
    expect(server.log).toEqual(['refresh sent']);
    await a.session.logout();
    await flushChannels();
    await vi.advanceTimersByTimeAsync(1_000);
    await flushChannels();

    expect(a.session.getState().status).toBe('signedOut');
    expect(b.session.getState()).toMatchObject({
      status: 'signedOut',
      signedOutReason: 'signed_out_elsewhere',
    });
  });
});
