import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { IdempotentSubmission, newIdempotencyKey } from './idempotent-submission';

function keys(): () => string {
  let n = 0;
  return () => `key-${String((n += 1))}`;
}

const body = { amountCents: 1250, method: 'cash' };

describe('IdempotentSubmission', () => {
  it('sends a double tap once: the second submit while the first is on its way sends nothing', async () => {
    const submission = new IdempotentSubmission<typeof body>(keys());
    const sent: string[] = [];
    let answer: (value: string) => void = () => undefined;
    const send = (_body: typeof body, key: string) => {
      sent.push(key);
      return new Promise<string>((resolve) => (answer = resolve));
    };
    const first = submission.submit(body, send);
    expect(submission.inFlight).toBe(true);
    await expect(submission.submit(body, send)).resolves.toBeNull();
    answer('recorded');
    await expect(first).resolves.toEqual({ answer: 'recorded' });
    expect(sent).toEqual(['key-1']);
    expect(submission.inFlight).toBe(false);
  });

  it('retries the same body with the same key after no answer or a server error', async () => {
    const submission = new IdempotentSubmission<typeof body>(keys());
    const sent: string[] = [];
    const failWith = (error: Error) => (_body: typeof body, key: string) => {
      sent.push(key);
      return Promise.reject(error);
    };
    await expect(
      submission.submit(body, failWith(new ApiError(0, 'NETWORK', 'offline'))),
    ).rejects.toThrow('offline');
    await expect(
      submission.submit({ ...body }, failWith(new ApiError(503, 'SERVICE_UNAVAILABLE', 'busy'))),
    ).rejects.toThrow('busy');
    await submission.submit(body, (_b, key) => {
      sent.push(key);
      return Promise.resolve('ok');
    });
    expect(sent).toEqual(['key-1', 'key-1', 'key-1']);
  });

  it('takes a new key for a changed body, after an answer, after a refusal, and after forget', async () => {
    const submission = new IdempotentSubmission<typeof body>(keys());
    const sent: string[] = [];
    const ok = (_b: typeof body, key: string) => {
      sent.push(key);
      return Promise.resolve(key);
    };
    await expect(
      submission.submit(body, () => Promise.reject(new ApiError(0, 'NETWORK', 'offline'))),
    ).rejects.toThrow();
    await submission.submit({ ...body, amountCents: 1000 }, ok); // changed: key-2
    await submission.submit({ ...body, amountCents: 1000 }, ok); // answered before: key-3
    await expect(
      submission.submit(body, (_b, key) => {
        sent.push(key);
        return Promise.reject(new ApiError(409, 'INVALID_TRANSITION', 'no'));
      }),
    ).rejects.toThrow(); // key-4, refused
    await submission.submit(body, ok); // refused before: key-5
    await expect(
      submission.submit(body, () => Promise.reject(new ApiError(0, 'NETWORK', 'offline'))),
    ).rejects.toThrow(); // key-6
    submission.forget();
    await submission.submit(body, ok); // key-7
    expect(sent).toEqual(['key-2', 'key-3', 'key-4', 'key-5', 'key-7']);
  });

  it('makes keys shaped like version 4 UUIDs', () => {
    const key = newIdempotencyKey();
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(key);
  });
});
