import type { Order } from '@taproom/web-core/api/contracts';
import { useEffect, useEffectEvent } from 'react';

export interface BoardKeyActions {
  select: (id: string | null) => void;
  advance: (order: Order) => void;
  /** False when the ticket has no step back (a new order). */
  recall: (order: Order) => boolean;
  acknowledgeAll: () => void;
  showHelp: () => void;
}

/** Controls that use the arrow keys themselves (text, a menu, a segmented control). */
const USES_ARROWS =
  'input, textarea, select, [contenteditable], [role=menu], [role=dialog], [role=radiogroup]';
/** …and those that use Enter, Backspace and letters too (a focused button presses itself). */
const USES_KEYS = `${USES_ARROWS}, button, a`;

function within(target: EventTarget | null, selector: string): boolean {
  return target instanceof HTMLElement && target.closest(selector) !== null;
}

/** Where a ticket is on the board: its lane and its place in it. */
function positionOf(lanes: readonly (readonly Order[])[], id: string | null) {
  if (id === null) return null;
  for (const [lane, tickets] of lanes.entries()) {
    const index = tickets.findIndex((order) => order.id === id);
    if (index >= 0) return { lane, index };
  }
  return null;
}

/** The nearest lane from `from` in `step`'s direction that has tickets. */
function nextLane(lanes: readonly (readonly Order[])[], from: number, step: 1 | -1): number | null {
  for (let lane = from + step; lane >= 0 && lane < lanes.length; lane += step) {
    if ((lanes[lane]?.length ?? 0) > 0) return lane;
  }
  return null;
}

/**
 * The board's keys, for a keyboard or a bump bar: arrows move the selection (Home and End jump
 * within a lane), Enter moves the selected ticket on and Backspace one step back (the selection
 * stays in the lane, on the ticket that takes its place), A marks every new order seen, `?` shows
 * the keys. Nothing happens while `suspended` (a dialog or drawer is open) or while focus is in a
 * control that uses the key itself.
 */
export function useBoardKeys(
  lanes: readonly (readonly Order[])[],
  selectedId: string | null,
  suspended: boolean,
  actions: BoardKeyActions,
): void {
  // One listener, added once, that always sees the latest lanes.
  const onKey = useEffectEvent((event: KeyboardEvent): void => {
    if (suspended || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const control = within(event.target, USES_KEYS);
    if (event.key === '?' && !within(event.target, USES_ARROWS)) {
      event.preventDefault();
      actions.showHelp();
      return;
    }
    const at = positionOf(lanes, selectedId);
    const selected = at === null ? undefined : lanes[at.lane]?.[at.index];
    const lane = at === null ? undefined : lanes[at.lane];
    /** The ticket that takes the selected one's place once it leaves the lane. */
    const successor = (): string | null =>
      at === null ? null : (lane?.[at.index + 1]?.id ?? lane?.[at.index - 1]?.id ?? null);
    switch (event.key) {
      case 'ArrowLeft':
      case 'ArrowRight':
      case 'ArrowUp':
      case 'ArrowDown':
      case 'Home':
      case 'End': {
        if (within(event.target, USES_ARROWS)) return;
        event.preventDefault();
        if (at === null) {
          const first = nextLane(lanes, -1, 1);
          actions.select(first === null ? null : (lanes[first]?.[0]?.id ?? null));
          return;
        }
        const length = lane?.length ?? 0;
        if (event.key === 'ArrowUp') {
          actions.select(lane?.[Math.max(0, at.index - 1)]?.id ?? null);
        }
        if (event.key === 'ArrowDown') {
          actions.select(lane?.[Math.min(length - 1, at.index + 1)]?.id ?? null);
        }
        if (event.key === 'Home') actions.select(lane?.[0]?.id ?? null);
        if (event.key === 'End') actions.select(lane?.[length - 1]?.id ?? null);
        if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
          const target = nextLane(lanes, at.lane, event.key === 'ArrowLeft' ? -1 : 1);
          if (target === null) return;
          const tickets = lanes[target] ?? [];
          actions.select(tickets[Math.min(at.index, tickets.length - 1)]?.id ?? null);
        }
        return;
      }
      case 'Enter':
        if (control || selected === undefined) return;
        event.preventDefault();
        actions.select(successor());
        actions.advance(selected);
        return;
      case 'Backspace': {
        if (control || selected === undefined) return;
        event.preventDefault();
        const next = successor();
        if (actions.recall(selected)) actions.select(next);
        return;
      }
      case 'a':
      case 'A':
        if (control) return;
        actions.acknowledgeAll();
        return;
      default:
        return;
    }
  });

  useEffect(() => {
    const listener = (event: KeyboardEvent): void => {
      onKey(event);
    };
    window.addEventListener('keydown', listener);
    return () => {
      window.removeEventListener('keydown', listener);
    };
  }, []);
}
