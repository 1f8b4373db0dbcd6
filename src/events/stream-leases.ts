/** One open event stream counted against its session's cap. */
export interface StreamLease {
  /** Frees the slot; calling it again does nothing. */
  release(): void;
}

/**
 * Counts the open event streams of each session against a cap, across every instance when
 * `REDIS_URL` is set (see `RedisStreamLeases`), else in this process's memory.
 */
export abstract class StreamLeases {
  /** A lease for one more stream of the session, or `undefined` when `limit` are open already. */
  abstract acquire(sessionId: string, limit: number): Promise<StreamLease | undefined>;
}

/** The count of one instance: exact, and enough when there is only one. */
export class MemoryStreamLeases extends StreamLeases {
  private readonly perSession = new Map<string, number>();

  acquire(sessionId: string, limit: number): Promise<StreamLease | undefined> {
    const open = this.perSession.get(sessionId) ?? 0;
    if (open >= limit) return Promise.resolve(undefined);
    this.perSession.set(sessionId, open + 1);
    let released = false;
    return Promise.resolve({
      release: () => {
        if (released) return;
        released = true;
        const left = (this.perSession.get(sessionId) ?? 0) - 1;
        if (left > 0) this.perSession.set(sessionId, left);
        else this.perSession.delete(sessionId);
      },
    });
  }
}
