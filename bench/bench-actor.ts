import { randomUUID } from 'node:crypto';
import type { Actor } from '../src/auth/auth-context.js';

/** The author of the menu changes a benchmark sets up, as the audit log records them. */
export const BENCH_ACTOR: Actor = { userId: randomUUID(), sessionId: randomUUID(), ip: null };
