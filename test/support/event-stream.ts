import { get } from 'node:http';

/** A Server-Sent Events client over real HTTP (fetch), for e2e tests of `GET /api/events`. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: any;
}

export interface OpenStream {
  readonly status: number;
  readonly headers: Headers;
  /** Every event received so far, in order. */
  readonly events: SseEvent[];
  /** Every comment line received so far (heartbeats, the reason the server closed). */
  readonly comments: string[];
  /** Resolves when the server ends the stream (or the connection drops). */
  readonly ended: Promise<void>;
  /** Waits for an event that matches, received already or later. */
  next(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Waits for a comment that matches. */
  nextComment(match: (comment: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Whether the server has ended the stream. */
  readonly isEnded: boolean;
  close(): void;
}

export interface OpenStreamResult {
  status: number;
  headers: Headers;
  /** Present when the answer was a stream (200). */
  stream?: OpenStream;
  /** The JSON error body otherwise. */
  body?: any;
}

/** Opens `GET <baseUrl>/api/events` with a bearer token (and a Last-Event-ID when given). */
export async function openEvents(
  baseUrl: string,
  token: string,
  options: { lastEventId?: string; path?: string } = {},
): Promise<OpenStreamResult> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(`${baseUrl}${options.path ?? '/api/events'}`, {
    headers,
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) {
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text.startsWith('{') ? JSON.parse(text) : text,
    };
  }
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const endedPromise = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const frame = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          parseFrame(frame, events, comments);
          boundary = buffer.indexOf('\n\n');
        }
        notify();
      }
    } catch {
      // Aborted by close(), or the connection dropped: either way the stream has ended.
    } finally {
      ended = true;
      notify();
    }
  })();

  function waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (ended) {
          done();
          reject(new Error(`stream ended before ${what}; events: ${JSON.stringify(events)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }

  const stream: OpenStream = {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    ended: endedPromise,
    get isEnded() {
      return ended;
    },
    next: (match, timeoutMs = 5_000) =>
      waitFor(() => events.find(match), 'a matching event', timeoutMs),
    nextComment: (match, timeoutMs = 5_000) =>
      waitFor(() => comments.find(match), 'a matching comment', timeoutMs),
    close: () => {
      controller.abort();
    },
  };
  return { status: response.status, headers: response.headers, stream };
}

function parseFrame(frame: string, events: SseEvent[], comments: string[]): void {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) {
      comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length > 0 || id !== undefined) {
    const text = data.join('\n');
    events.push({ id, event, data: text === '' ? undefined : JSON.parse(text) });
  }
}

/** Opens a stream and fails loudly when the answer is not one. */
export async function mustOpenEvents(
  baseUrl: string,
  token: string,
  options: { lastEventId?: string } = {},
): Promise<OpenStream> {
  const result = await openEvents(baseUrl, token, options);
  if (!result.stream) {
    throw new Error(`GET /api/events answered ${result.status}: ${JSON.stringify(result.body)}`);
  }
  return result.stream;
}

/**
 * Sends `GET /api/events` and drops the connection after `afterMs`, whether or not the stream has
 * opened by then: a client that leaves while its stream is being set up. Over `node:http` without
 * keep-alive, so the socket really closes (fetch may keep one that never sent a request pooled).
 */
export function abandonEvents(baseUrl: string, token: string, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const request = get(`${baseUrl}/api/events`, {
      headers: { authorization: `Bearer ${token}` },
      agent: false,
    });
    request.on('error', () => undefined);
    request.on('close', () => {
      resolve();
    });
    setTimeout(() => {
      request.destroy();
    }, afterMs);
  });
}
