/** A random UUID; `randomUUID` needs a secure context, a bar's LAN address may not be one. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether a failure may have happened after the server acted (no answer, or a server error). */
function maybeDone(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status !== 'number' || status === 0 || status >= 500;
}

/**
 * One form's submissions of a request that must happen once (a payment): each submission gets an
 * `Idempotency-Key`, and the key is kept for a retry of the same body while the last attempt
 * may have reached the server (no answer, a 5xx), so a retry replays what was recorded rather than
 * recording it twice. A changed body, an answer, or a refusal starts a fresh key. While one attempt
 * is on its way, another submit is ignored (a double tap sends once).
 */
export class IdempotentSubmission<Body> {
  private key: string | null = null;
  private sentBody: string | null = null;
  private sending = false;

  constructor(private readonly makeKey: () => string = newIdempotencyKey) {}

  get inFlight(): boolean {
    return this.sending;
  }

  /**
   * Sends `body` with its key; resolves to `{answer}`, or to `null` when an earlier submission
   * is still on its way (nothing is sent). A failure is rethrown.
   */
  async submit<T>(
    body: Body,
    send: (body: Body, key: string) => Promise<T>,
  ): Promise<{ answer: T } | null> {
    if (this.sending) return null;
    const serialised = JSON.stringify(body);
    if (this.key === null || this.sentBody !== serialised) {
      this.key = this.makeKey();
      this.sentBody = serialised;
    }
    this.sending = true;
    try {
      const answer = await send(body, this.key);
      this.forget();
      return { answer };
    } catch (error) {
      if (!maybeDone(error)) this.forget();
      throw error;
    } finally {
      this.sending = false;
    }
  }

  /** Starts over: the next submission gets a new key (the form was closed or reset). */
  forget(): void {
    this.key = null;
    this.sentBody = null;
  }
}
