/**
 * The order life cycle, pure: which status changes who may make. Forward moves
 * (pending → accepted → preparing → ready → completed) and recalls one step back among accepted,
 * preparing and ready are staff moves, as is taking a completed order back to ready within the
 * recall window (a served drink taken back); a customer may only cancel a pending order; staff may
 * cancel any order that is not completed yet, with a reason.
 */
export const ORDER_STATUSES = [
  'pending',
  'accepted',
  'preparing',
  'ready',
  'completed',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Who asks for a move: the order's own customer, or a bartender or admin. */
export type OrderActor = 'customer' | 'staff';

type TransitionKind = 'forward' | 'recall' | 'cancel';

export type TransitionCheck =
  | { readonly allowed: true; readonly kind: TransitionKind; readonly needsReason: boolean }
  | { readonly allowed: false; readonly reason: string };

const FORWARD: Partial<Record<OrderStatus, OrderStatus>> = {
  pending: 'accepted',
  accepted: 'preparing',
  preparing: 'ready',
  ready: 'completed',
};

const RECALL: Partial<Record<OrderStatus, OrderStatus>> = {
  preparing: 'accepted',
  ready: 'preparing',
};

/** Whether a completed order may still be recalled to ready, and the facts to explain why not. */
export interface RecallWindow {
  /** When the order was completed; null for an order that is not completed. */
  readonly completedAt: Date | null;
  readonly windowSeconds: number;
  readonly now: Date;
}

/** Decides whether `actor` may move an order from `from` to `to`, and what kind of move it is. */
export function checkTransition(
  from: OrderStatus,
  to: OrderStatus,
  actor: OrderActor,
  recallWindow: RecallWindow,
): TransitionCheck {
  if (from === 'completed' && to === 'ready' && actor === 'staff') {
    return checkCompletedRecall(recallWindow);
  }
  if (from === 'completed' || from === 'cancelled' || from === to) {
    return { allowed: false, reason: `The order is already ${from}.` };
  }
  if (to === 'cancelled') {
    if (actor === 'customer' && from !== 'pending') {
      return {
        allowed: false,
        reason: 'The bar has already accepted this order; ask the staff to cancel it.',
      };
    }
    return { allowed: true, kind: 'cancel', needsReason: actor === 'staff' };
  }
  if (actor === 'customer') {
    return { allowed: false, reason: 'Only staff move an order along.' };
  }
  if (FORWARD[from] === to) return { allowed: true, kind: 'forward', needsReason: false };
  if (RECALL[from] === to) return { allowed: true, kind: 'recall', needsReason: false };
  return { allowed: false, reason: `An order cannot move from ${from} to ${to}.` };
}

function checkCompletedRecall({ completedAt, windowSeconds, now }: RecallWindow): TransitionCheck {
  const window = describeDuration(windowSeconds);
  if (completedAt === null) {
    return { allowed: false, reason: 'The order has no completion time to recall it from.' };
  }
  const sinceSeconds = (now.getTime() - completedAt.getTime()) / 1000;
  if (sinceSeconds > windowSeconds) {
    return {
      allowed: false,
      reason: `A served order can be recalled for ${window} after it was completed; this one was completed ${describeSince(sinceSeconds, windowSeconds)} ago.`,
    };
  }
  return { allowed: true, kind: 'recall', needsReason: false };
}

/** `15 min`, `1 min`, `40 s`: how long a window was, as the bar says it (rounded down). */
function describeDuration(seconds: number): string {
  return seconds < 60
    ? `${String(Math.floor(seconds))} s`
    : `${String(Math.floor(seconds / 60))} min`;
}

/**
 * How long ago a completion past the window was: to the nearest unit, but never the window's own
 * figure, so a refusal never reads "recalled for 15 min; completed 15 min ago".
 */
function describeSince(sinceSeconds: number, windowSeconds: number): string {
  const [unit, label] = sinceSeconds < 60 ? [1, 's'] : [60, 'min'];
  const shown = Math.max(Math.round(sinceSeconds / unit), Math.floor(windowSeconds / unit) + 1);
  return `${String(shown)} ${label}`;
}

/** The statuses `actor` may move an order in `from` to: what the bar's buttons offer. */
export function allowedTargets(
  from: OrderStatus,
  actor: OrderActor,
  recallWindow: RecallWindow,
): OrderStatus[] {
  return ORDER_STATUSES.filter((to) => checkTransition(from, to, actor, recallWindow).allowed);
}
