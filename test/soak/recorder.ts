/**
 * Counts every request of the soak run by kind and status (with the error code), keeps the
 * latencies, and separates expected answers from unexpected ones: each call says which answers
 * the contract allows in its situation, and anything else is recorded as a problem.
 */
import { performance } from 'node:perf_hooks';
import { type JsonResponse, request } from '../support/http.js';

/** Whether an answer is one the contract allows for this call in its situation. */
export type Expectation = (status: number, code: string | undefined) => boolean;

/** Allows each listed status; a list of codes restricts that status to those error codes. */
export function allow(rules: Record<number, readonly string[] | null>): Expectation {
  return (status, code) => {
    const rule = rules[status];
    if (rule === undefined) return false;
    return rule === null || (code !== undefined && rule.includes(code));
  };
}

export function either(...expectations: Expectation[]): Expectation {
  return (status, code) => expectations.some((expectation) => expectation(status, code));
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export class Recorder {
  /** `kind` → `status[ CODE]` → count. */
  readonly counts = new Map<string, Map<string, number>>();
  readonly latencies: number[] = [];
  readonly unexpected: string[] = [];
  readonly problems: string[] = [];
  serverErrors = 0;
  networkErrors = 0;
  total = 0;

  problem(message: string): void {
    if (this.problems.length < 500) this.problems.push(message);
  }

  count(kind: string, outcome: string): void {
    let byOutcome = this.counts.get(kind);
    if (!byOutcome) {
      byOutcome = new Map();
      this.counts.set(kind, byOutcome);
    }
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  }

  /**
   * One request over real HTTP. Returns undefined when the connection failed (recorded as a
   * problem: nothing in this workload should lose its connection).
   */
  async call(
    kind: string,
    url: string,
    init: RequestInit & { json?: unknown },
    expected: Expectation,
  ): Promise<JsonResponse | undefined> {
    this.total++;
    const started = performance.now();
    let response: JsonResponse;
    try {
      response = await request(url, init);
    } catch (error) {
      this.networkErrors++;
      this.count(kind, 'network error');
      this.problem(`${kind}: ${String(error)}`);
      return undefined;
    }
    this.latencies.push(performance.now() - started);
    const code =
      typeof response.body?.code === 'string' ? (response.body.code as string) : undefined;
    this.count(kind, code === undefined ? String(response.status) : `${response.status} ${code}`);
    if (response.status >= 500) this.serverErrors++;
    if (!expected(response.status, code)) {
      if (this.unexpected.length < 500) {
        this.unexpected.push(`${kind}: ${response.status} ${response.text.slice(0, 300)}`);
      }
    }
    return response;
  }

  /** `kind  status:count …` lines, sorted by kind. */
  summary(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([kind, byOutcome]) =>
          `  ${kind.padEnd(34)} ${[...byOutcome.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([outcome, n]) => `${outcome}: ${n}`)
            .join(', ')}`,
      )
      .join('\n');
  }
}
