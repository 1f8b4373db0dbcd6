import { describe, expect, it } from '@jest/globals';
import { PeriodicJob } from './periodic-job.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects what the job logs, as the Nest logger would receive it. */
function recordingLogger() {
  const errors: { detail: unknown; message: string }[] = [];
  return {
    errors,
    logger: {
      error: (detail: unknown, message: string) => {
        errors.push({ detail, message });
      },
    },
  };
}

describe('PeriodicJob', () => {
  it('runs the task on every tick, never two runs at once', async () => {
    const { logger } = recordingLogger();
    let active = 0;
    let mostAtOnce = 0;
    let runs = 0;
    const job = new PeriodicJob(logger, 'failed', async () => {
      active += 1;
      mostAtOnce = Math.max(mostAtOnce, active);
      await sleep(25);
      runs += 1;
      active -= 1;
    });
    job.start(5);
    await sleep(150);
    await job.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(mostAtOnce).toBe(1);
  });

  it('logs a failed run and runs again on the next tick', async () => {
    const { errors, logger } = recordingLogger();
    let calls = 0;
    const job = new PeriodicJob(logger, 'Purge failed', () => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('database is down')) : Promise.resolve();
    });
    job.start(5);
    await sleep(60);
    await job.stop();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe('Purge failed');
    expect(errors[0]?.detail).toEqual({ err: new Error('database is down') });
  });

  it('stop() waits for the run in progress, raises stopping for it, and runs nothing after', async () => {
    const { logger } = recordingLogger();
    let runs = 0;
    let finished = false;
    let stoppingSeenInRun = false;
    const job: PeriodicJob = new PeriodicJob(logger, 'failed', async () => {
      runs += 1;
      await sleep(40);
      stoppingSeenInRun = job.stopping;
      finished = true;
    });
    job.start(5);
    await sleep(15);
    expect(runs).toBe(1);
    expect(job.stopping).toBe(false);
    await job.stop();
    expect(finished).toBe(true);
    expect(stoppingSeenInRun).toBe(true);
    await sleep(30);
    expect(runs).toBe(1);
  });
  it('waits out an interval longer than Node timers take, rather than running back to back', async () => {
    const { logger } = recordingLogger();
    let runs = 0;
    const job = new PeriodicJob(logger, 'failed', () => {
      runs += 1;
      return Promise.resolve();
    });
    // 30 days: past 2^31 - 1 ms, which Node would take as 1 ms.
    job.start(30 * 86_400_000);
    await sleep(50);
    await job.stop();
    expect(runs).toBe(0);
  });
});
