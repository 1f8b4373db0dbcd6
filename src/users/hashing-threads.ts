import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The lowest CPU priority (the highest nice value) on Linux and macOS. */
export const HASHING_NICE = 19;

/**
 * A hashing thread's code: argon2 calls, one at a time, at the lowest CPU priority. It is run with
 * `eval` (CommonJS) and loads `@node-rs/argon2` by its resolved path, so the same code runs from
 * the compiled output and from the TypeScript sources under test.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { setPriority } = require('node:os');
const { hashSync, verifySync } = require(workerData.argon2);
try {
  // On Linux the nice value is per thread: this lowers this thread only, never the event loop's.
  setPriority(workerData.nice);
} catch {
  // Not allowed here (some sandboxes): the thread still works, at normal priority.
}
parentPort.on('message', ({ id, op, password, hash }) => {
  try {
    const result = op === 'hash' ? hashSync(password) : verifySync(hash, password);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});`;

type Job =
  | { readonly op: 'hash'; readonly password: string }
  | { readonly op: 'verify'; readonly hash: string; readonly password: string };

interface Reply {
  id: number;
  result?: string | boolean;
  error?: string;
}

interface Pending {
  resolve(result: string | boolean): void;
  reject(error: Error): void;
}

/** One thread and the jobs it has been given. */
class HashingThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(onExit: () => void) {
    const argon2 = createRequire(import.meta.url).resolve('@node-rs/argon2');
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { argon2, nice: HASHING_NICE },
    });
    this.worker.on('message', (reply: Reply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if (reply.error === undefined) job.resolve(reply.result ?? false);
      else job.reject(new Error(reply.error));
    });
    const fail = (error: Error) => {
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
      this.worker.unref();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      fail(new Error(`The hashing thread exited (${String(code)})`));
      onExit();
    });
    // An idle thread never keeps the process alive (unref'd after the listeners: adding one refs
    // it); one with jobs does, so a script awaiting a hash is not cut short.
    this.worker.unref();
  }

  get busy(): number {
    return this.pending.size;
  }

  run(job: Job): Promise<string | boolean> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...job });
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * argon2 on threads of its own, at the lowest CPU priority: a login storm then takes only the CPU
 * that nothing else wants, so requests (on the event loop) and the database keep their share and
 * their latency. Threads start on first use, at most `size` of them, each running one job at a time;
 * a job goes to the least busy thread. A thread that dies is replaced on the next job (its jobs
 * fail). `close` ends them all.
 */
export class HashingThreads {
  private readonly threads: HashingThread[] = [];
  private closed = false;

  constructor(readonly size: number) {}

  async hash(password: string): Promise<string> {
    return String(await this.thread().run({ op: 'hash', password }));
  }

  async verify(hash: string, password: string): Promise<boolean> {
    return (await this.thread().run({ op: 'verify', hash, password })) === true;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.splice(0).map((thread) => thread.terminate()));
  }

  private thread(): HashingThread {
    if (this.closed) throw new Error('The hashing threads are closed');
    const idle = this.threads.find((thread) => thread.busy === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) {
      const thread: HashingThread = new HashingThread(() => {
        const index = this.threads.indexOf(thread);
        if (index >= 0) this.threads.splice(index, 1);
      });
      this.threads.push(thread);
      return thread;
    }
    return this.threads.reduce((least, thread) => (thread.busy < least.busy ? thread : least));
  }
}
