/**
 * The order life cycle, pure: which status changes who may make. Forward moves
 * (pending → accepted → preparing → ready → completed) and recalls one step back among accepted,
 * preparing and ready are staff moves; a customer may only cancel a pending order; staff may
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

/** Statuses from which nothing moves any more. */
function isFinal(status: OrderStatus): boolean {
  return status === 'completed' || status === 'cancelled';
}

/** Decides whether `actor` may move an order from `from` to `to`, and what kind of move it is. */
export function checkTransition(
  from: OrderStatus,
  to: OrderStatus,
  actor: OrderActor,
): TransitionCheck {
  if (isFinal(from)) return { allowed: false, reason: `The order is already ${from}.` };
  if (from === to) return { allowed: false, reason: `The order is already ${from}.` };
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

/** The statuses `actor` may move an order in `from` to: what the bar's buttons offer. */
export function allowedTargets(from: OrderStatus, actor: OrderActor): OrderStatus[] {
  return ORDER_STATUSES.filter((to) => checkTransition(from, to, actor).allowed);
}
