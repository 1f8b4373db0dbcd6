import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { apiErrorFrom } from '../api/api-error';
import type { LiveEvent, LiveEventMap, LiveEventName } from '../api/contracts';
import { backoffDelayMs } from '../auth/refresh-schedule';
import type { SessionManager } from '../auth/session-manager';
import { browserNetwork, type NetworkStatus } from './network-status';

/** What the "Live" badge shows. */
export type ConnectionState = 'offline' | 'connecting' | 'live' | 'reconnecting';

export interface LiveStreamOptions {
  session: SessionManager;
  onEvent: (event: LiveEvent) => void;
  url?: string;
  fetch?: typeof fetch;
  /** Reconnect when nothing (not even a heartbeat) arrived for this long. */
  silenceTimeoutMs?: number;
  random?: () => number;
  /** The device's network; the browser's by default. */
  network?: NetworkStatus;
}

const EVENT_NAMES: readonly LiveEventName[] = [
  'order.created',
  'order.updated',
  'menu.updated',
  'venue.updated',
  'session.revoked',
  'resync',
];

function toLiveEvent(message: EventSourceMessage): LiveEvent | undefined {
  const name = message.event as LiveEventName | undefined;
  if (name === undefined || !EVENT_NAMES.includes(name)) return undefined;
  let data: unknown = {};
  if (message.data !== '') {
    try {
      data = JSON.parse(message.data);
    } catch {
      return undefined;
    }
  }
  return { type: name, id: message.id, data: data as LiveEventMap[typeof name] } as LiveEvent;
}

function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/**
 * Reads `GET /api/events` over `fetch` (EventSource cannot send a bearer header). Reconnects with
 * backoff, sends `Last-Event-ID` so missed events (whatever changed meanwhile) are replayed, and
 * asks the session for a fresh token each time. When the device goes offline the connection is
 * dropped and the state says so at once (an idle stream would otherwise look live until its
 * silence timeout); when the network returns it reconnects at once, whatever the backoff.
 * A `session.revoked` event signs the app out with its reason and ends the stream.
 */
export class LiveStream {
  private state: ConnectionState = 'offline';
  private readonly listeners = new Set<() => void>();
  private controller: AbortController | null = null;
  private lastEventId: string | undefined;
  /** A `TOKEN_INVALID` gets one refresh; a second one in a row ends the session. */
  private retriedInvalid = false;
  private readonly fetchImpl: typeof fetch;
  private readonly url: string;
  private readonly silenceTimeoutMs: number;
  private readonly random: () => number;
  private readonly network: NetworkStatus;
  /** The connection being made or read, so going offline can drop it. */
  private attempt: AbortController | null = null;
  /** Ends the current pause between connections early (the network came back). */
  private wake: (() => void) | null = null;
  private unsubscribeNetwork: (() => void) | null = null;

  constructor(private readonly options: LiveStreamOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.url = options.url ?? '/api/events';
    this.silenceTimeoutMs = options.silenceTimeoutMs ?? 45_000;
    this.random = options.random ?? Math.random;
    this.network = options.network ?? browserNetwork;
  }

  getState = (): ConnectionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    if (this.controller !== null) return;
    const controller = new AbortController();
    this.controller = controller;
    this.unsubscribeNetwork = this.network.subscribe(this.networkChanged);
    void this.run(controller.signal);
  }

  stop(): void {
    this.unsubscribeNetwork?.();
    this.unsubscribeNetwork = null;
    this.controller?.abort();
    this.controller = null;
    this.setState('offline');
  }

  private readonly networkChanged = (): void => {
    if (this.controller === null) return;
    if (this.network.isOnline()) {
      this.wake?.();
      return;
    }
    this.attempt?.abort();
    this.setState('offline');
  };

  /** Waits `ms` (forever when null), until stopped, or until the network comes back. */
  private pause(ms: number | null, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      if (ms !== null) timer = setTimeout(done, ms);
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    }).finally(() => {
      this.wake = null;
    });
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    this.setState('connecting');
    while (!signal.aborted) {
      if (!this.network.isOnline()) {
        this.setState('offline');
        await this.pause(null, signal);
        if (isAborted(signal)) break;
        failures = 0;
        this.setState('connecting');
        continue;
      }
      const outcome = await this.connectOnce(signal).catch(() => 'retry' as const);
      // `signal` may have been aborted by stop() while we awaited.
      if (isAborted(signal) || outcome === 'stop') break;
      if (outcome === 'opened') failures = 0;
      // Offline: the loop waits for the network instead of a backoff.
      if (!this.network.isOnline()) continue;
      this.setState('reconnecting');
      await this.pause(backoffDelayMs(failures, this.random), signal);
      failures += 1;
    }
    if (this.controller?.signal === signal) this.controller = null;
    if (!signal.aborted) this.setState('offline');
  }

  /** One connection: 'opened' if it got as far as streaming, 'retry' if not, 'stop' to give up. */
  private async connectOnce(signal: AbortSignal): Promise<'opened' | 'retry' | 'stop'> {
    const { session } = this.options;
    const retriedInvalid = this.retriedInvalid;
    const token = await session.getAccessToken();
    if (token === null || signal.aborted) return 'stop';
    const attempt = new AbortController();
    this.attempt = attempt;
    const abortAttempt = (): void => {
      attempt.abort();
    };
    signal.addEventListener('abort', abortAttempt, { once: true });
    let silence: ReturnType<typeof setTimeout> | undefined;
    const resetSilence = (): void => {
      if (silence !== undefined) clearTimeout(silence);
      silence = setTimeout(abortAttempt, this.silenceTimeoutMs);
    };
    try {
      const headers: Record<string, string> = {
        Accept: 'text/event-stream',
        Authorization: `Bearer ${token}`,
      };
      if (this.lastEventId !== undefined) headers['Last-Event-ID'] = this.lastEventId;
      resetSilence();
      const response = await this.fetchImpl(this.url, {
        headers,
        signal: attempt.signal,
        cache: 'no-store',
        credentials: 'same-origin',
      });
      if (response.status === 401) {
        const error = apiErrorFrom(401, await response.json().catch(() => undefined));
        if (error.code === 'TOKEN_EXPIRED' || (error.code === 'TOKEN_INVALID' && !retriedInvalid)) {
          this.retriedInvalid = error.code === 'TOKEN_INVALID';
          return (await session.refresh(token)) === null ? 'stop' : 'opened';
        }
        if (error.code !== 'NETWORK') session.endFromError(error.code);
        return 'stop';
      }
      if (!response.ok || response.body === null) return 'retry';
      this.retriedInvalid = false;
      this.setState('live');
      const verdict = { stop: false };
      const parser = createParser({
        onEvent: (message) => {
          if (message.id !== undefined) this.lastEventId = message.id;
          const event = toLiveEvent(message);
          if (event === undefined) return;
          if (event.type === 'session.revoked') {
            verdict.stop = true;
            session.handleRevoked(event.data.sessionId, event.data.reason);
          }
          this.options.onEvent(event);
        },
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      while (!verdict.stop) {
        const { done, value } = await reader.read();
        if (done) break;
        resetSilence();
        parser.feed(value);
      }
      await reader.cancel().catch(() => undefined);
      return verdict.stop || session.getState().status !== 'signedIn' ? 'stop' : 'opened';
    } finally {
      if (this.attempt === attempt) this.attempt = null;
      if (silence !== undefined) clearTimeout(silence);
      signal.removeEventListener('abort', abortAttempt);
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
