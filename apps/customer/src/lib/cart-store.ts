import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { CreateOrderRequest, MenuItem, Order } from '@taproom/web-core/api/contracts';
import { CART_STORAGE_KEY } from '@/config/app-config';
import { availabilityOf } from './availability';

export const MAX_QUANTITY = 20;
/** The contract's limit on `items[].note`. */
export const LINE_NOTE_MAX = 140;
const MAX_LINES = 30;

export interface CartLine {
  /** This line's own id: the same item may be on two lines with different notes. */
  id: string;
  menuItemId: string;
  /** Name and price as shown when added; the server sets the real price at checkout. */
  name: string;
  priceCents: number;
  quantity: number;
  /** For the bar, about this line only ("no ice"); empty when none. */
  note: string;
}

/**
 * An order handed over for sending: the Idempotency-Key and the exact bytes of the body. Until it
 * is placed or the customer cancels the wait, every attempt sends these bytes under this key, so
 * the server answers a repeat with the same order instead of making a second.
 */
export interface PendingOrder {
  key: string;
  body: string;
  /** Whose order it is: keys belong to the user who sent them, and so does the order. */
  userId: string;
}

interface CartState {
  lines: CartLine[];
  tableNumber: number | null;
  note: string;
  /**
   * The Idempotency-Key of the checkout attempt in progress: made once, kept across retries,
   * double taps, reloads and a cancelled wait until the order is placed, and dropped when the
   * order changes (a changed body under the same key would be refused).
   */
  idempotencyKey: string | null;
  /** The order being sent, or waiting for the network. While set, the cart cannot change. */
  pending: PendingOrder | null;
  add: (item: Pick<MenuItem, 'id' | 'name' | 'priceCents'>) => void;
  setQuantity: (lineId: string, quantity: number) => void;
  setLineNote: (lineId: string, note: string) => void;
  remove: (lineId: string) => void;
  setTableNumber: (tableNumber: number | null) => void;
  setNote: (note: string) => void;
  /** Adds lines (a past order again), merged into lines of the same item and note. */
  addLines: (lines: readonly Omit<CartLine, 'id'>[]) => void;
  /** Freezes the cart as it is now for sending; the same pending order if one is already set. */
  beginSend: (userId: string) => PendingOrder;
  /** Drops the pending send; the cart (and its key, should the same order be sent later) stays. */
  cancelSend: () => void;
  clear: () => void;
}

/** A random UUID; `randomUUID` needs a secure context, a bar's LAN address may not be one. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Lines with one more of `line` (same item, same note) added, or `undefined` when full. */
function withLine(lines: readonly CartLine[], line: Omit<CartLine, 'id'>): CartLine[] | undefined {
  const note = line.note.trim();
  const existing = lines.find(
    (candidate) => candidate.menuItemId === line.menuItemId && candidate.note.trim() === note,
  );
  if (existing !== undefined) {
    return lines.map((candidate) =>
      candidate === existing
        ? { ...candidate, quantity: Math.min(MAX_QUANTITY, candidate.quantity + line.quantity) }
        : candidate,
    );
  }
  if (lines.length >= MAX_LINES) return undefined;
  return [...lines, { ...line, quantity: Math.min(MAX_QUANTITY, line.quantity), id: newKey() }];
}

/** The cart, kept per app in localStorage so it (and an order waiting to be sent) survives reloads. */
export const useCart = create<CartState>()(
  persist(
    (set, get) => {
      /** A change to the order: refused while it is being sent, and it needs a new key. */
      const change = (update: (state: CartState) => Partial<CartState> | CartState): void => {
        set((state) => {
          if (state.pending !== null) return state;
          const next = update(state);
          return next === state ? state : { ...next, idempotencyKey: null };
        });
      };
      return {
        lines: [],
        tableNumber: null,
        note: '',
        idempotencyKey: null,
        pending: null,
        add: (item) => {
          change((state) => {
            const lines = withLine(state.lines, {
              menuItemId: item.id,
              name: item.name,
              priceCents: item.priceCents,
              quantity: 1,
              note: '',
            });
            return lines === undefined ? state : { lines };
          });
        },
        setQuantity: (lineId, quantity) => {
          change((state) => ({
            lines:
              quantity <= 0
                ? state.lines.filter((line) => line.id !== lineId)
                : state.lines.map((line) =>
                    line.id === lineId
                      ? { ...line, quantity: Math.min(MAX_QUANTITY, quantity) }
                      : line,
                  ),
          }));
        },
        setLineNote: (lineId, note) => {
          change((state) => ({
            lines: state.lines.map((line) =>
              line.id === lineId ? { ...line, note: note.slice(0, LINE_NOTE_MAX) } : line,
            ),
          }));
        },
        remove: (lineId) => {
          change((state) => ({ lines: state.lines.filter((line) => line.id !== lineId) }));
        },
        setTableNumber: (tableNumber) => {
          change(() => ({ tableNumber }));
        },
        setNote: (note) => {
          change(() => ({ note }));
        },
        addLines: (lines) => {
          change((state) => ({
            lines: lines.reduce<CartLine[]>((acc, line) => withLine(acc, line) ?? acc, state.lines),
          }));
        },
        beginSend: (userId) => {
          const state = get();
          if (state.pending?.userId === userId) return state.pending;
          const pending = {
            key: state.idempotencyKey ?? newKey(),
            body: JSON.stringify(orderRequestOf(state)),
            userId,
          };
          set({ pending, idempotencyKey: pending.key });
          return pending;
        },
        cancelSend: () => {
          set({ pending: null });
        },
        clear: () => {
          set({ lines: [], note: '', idempotencyKey: null, pending: null });
        },
      };
    },
    {
      name: CART_STORAGE_KEY,
      version: 2,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ lines, tableNumber, note, idempotencyKey, pending }) => ({
        lines,
        tableNumber,
        note,
        idempotencyKey,
        pending,
      }),
      // Version 1 had one line per item, without ids or notes.
      migrate: (persisted, version) => {
        const state = persisted as Partial<CartState> | undefined;
        if (version >= 2 || state === undefined) return state;
        return {
          ...state,
          pending: null,
          lines: (state.lines ?? []).map((line) => ({ ...line, id: newKey(), note: '' })),
        };
      },
    },
  ),
);

export function cartTotalCents(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.priceCents * line.quantity, 0);
}

export function cartCount(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}

/** The body of `POST /api/orders` for this cart. */
export function orderRequestOf(
  state: Pick<CartState, 'lines' | 'tableNumber' | 'note'>,
): CreateOrderRequest {
  const note = state.note.trim();
  return {
    items: state.lines.map((line) => {
      const lineNote = line.note.trim();
      return {
        menuItemId: line.menuItemId,
        quantity: line.quantity,
        ...(lineNote !== '' ? { note: lineNote } : {}),
      };
    }),
    ...(state.tableNumber !== null ? { tableNumber: state.tableNumber } : {}),
    ...(note !== '' ? { note } : {}),
  };
}

/** A past order as cart lines at today's menu and prices, and the names of what can't be had. */
export function reorderLines(
  order: Pick<Order, 'items'>,
  menu: readonly MenuItem[],
): { lines: Omit<CartLine, 'id'>[]; skipped: string[] } {
  const byId = new Map(menu.map((item) => [item.id, item]));
  const lines: Omit<CartLine, 'id'>[] = [];
  const skipped: string[] = [];
  for (const line of order.items) {
    const item = byId.get(line.menuItemId);
    if (item === undefined || availabilityOf(item) !== 'available') {
      if (!skipped.includes(line.name)) skipped.push(line.name);
      continue;
    }
    lines.push({
      menuItemId: item.id,
      name: item.name,
      priceCents: item.priceCents,
      quantity: line.quantity,
      note: line.note ?? '',
    });
  }
  return { lines, skipped };
}

/**
 * The cart is one per browser, not per tab: another tab's change (an order waiting to be sent
 * above all, with its Idempotency-Key) comes into this tab's cart at once. Two tabs that both
 * wait then send the same order under the same key, which the server places once.
 */
export function followOtherTabs(): () => void {
  const onStorage = (event: StorageEvent): void => {
    if (event.key === CART_STORAGE_KEY) void useCart.persist.rehydrate();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener('storage', onStorage);
  };
}
