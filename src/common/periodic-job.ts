import type { Logger } from '@nestjs/common';

/**
 * The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days): a longer one is taken as
 * 1 ms, which would run the task back to back.
 */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * A task run on a timer on this instance, never two runs at once: a tick that finds the last run
 * still going is skipped. A failed run is logged and the next tick tries again. `stop()` (called
 * from `onApplicationShutdown`) clears the timer, raises {@link stopping} so a task that works in
 * batches can end between them, and waits for the run in progress. The timer never keeps the
 * process alive.
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  /**
   * @param failure what the log line says when a run throws (the error goes with it)
   */
  constructor(
    private readonly logger: Pick<Logger, 'error'>,
    private readonly failure: string,
    private readonly task: () => Promise<unknown>,
  ) {}

  /**
   * Runs the task every `intervalMs` (at most {@link LONGEST_TIMER_MS}), the first time one
   * interval from now.
   */
  start(intervalMs: number): void {
    this.timer = setInterval(
      () => {
        this.tick();
      },
      Math.min(intervalMs, LONGEST_TIMER_MS),
    );
    this.timer.unref();
  }

  /** True once {@link stop} was called: a batched task ends at its next batch. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Stops the timer and resolves once a run in progress has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.task()
      .then(
        () => undefined,
        (error: unknown) => {
          this.logger.error({ err: error }, this.failure);
        },
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
