import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type {
  CreateOrderRequest,
  MenuItem,
  Order,
  OrderLineOption,
} from '@taproom/web-core/api/contracts';
import { CART_STORAGE_KEY } from '@/config/app-config';
import { availabilityOf } from './availability';

export const MAX_QUANTITY = 20;
/** The contract's limit on `items[].note`. */
export const LINE_NOTE_MAX = 140;
const MAX_LINES = 30;

/** A choice on a cart line, as the menu showed it when added (the order line's own shape). */
export type CartOption = OrderLineOption;

export interface CartLine {
  /** This line's own id: the same item may be on two lines with different notes or choices. */
  id: string;
  menuItemId: string;
  /**
   * Name and price of one (with its choices) as shown when added; the server sets the real
   * price at checkout.
   */
  name: string;
  priceCents: number;
  /** The choices, in the menu's group and option order; empty for an item without any. */
  options: CartOption[];
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
  /** One more of `item` with these choices (none by default), on its line if there is one. */
  add: (
    item: Pick<MenuItem, 'id' | 'name' | 'priceCents'>,
    options?: readonly CartOption[],
    quantity?: number,
  ) => void;
  setQuantity: (lineId: string, quantity: number) => void;
  setLineNote: (lineId: string, note: string) => void;
  remove: (lineId: string) => void;
  setTableNumber: (tableNumber: number | null) => void;
  setNote: (note: string) => void;
  /** Adds lines (a past order again), merged into lines of the same item, choices and note. */
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

/** Which choices a line has, whatever order they were picked in. */
function choiceKey(options: readonly Pick<CartOption, 'id'>[]): string {
  return options
    .map((option) => option.id)
    .sort()
    .join(',');
}

/** Unit price of an item with these choices. */
export function unitPriceWith(
  item: Pick<MenuItem, 'priceCents'>,
  options: readonly Pick<CartOption, 'priceDeltaCents'>[],
): number {
  return options.reduce((sum, option) => sum + option.priceDeltaCents, item.priceCents);
}

/**
 * Lines with `line` added: onto the line of the same item, choices and note (one more of the
 * same), else as a new line; `undefined` when the cart has no room for another line.
 */
function withLine(lines: readonly CartLine[], line: Omit<CartLine, 'id'>): CartLine[] | undefined {
  const note = line.note.trim();
  const choices = choiceKey(line.options);
  const existing = lines.find(
    (candidate) =>
      candidate.menuItemId === line.menuItemId &&
      candidate.note.trim() === note &&
      choiceKey(candidate.options) === choices,
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
        add: (item, options = [], quantity = 1) => {
          change((state) => {
            const lines = withLine(state.lines, {
              menuItemId: item.id,
              name: item.name,
              priceCents: unitPriceWith(item, options),
              options: [...options],
              quantity,
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
      version: 3,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ lines, tableNumber, note, idempotencyKey, pending }) => ({
        lines,
        tableNumber,
        note,
        idempotencyKey,
        pending,
      }),
      // Version 1 had one line per item, without ids or notes; version 2 lines had no choices.
      migrate: (persisted, version) => {
        const state = persisted as Partial<CartState> | undefined;
        if (version >= 3 || state === undefined) return state;
        return {
          ...state,
          lines: (state.lines ?? []).map((line) => ({
            ...line,
            id: version < 2 ? newKey() : line.id,
            note: version < 2 ? '' : line.note,
            options: [],
          })),
          ...(version < 2 ? { pending: null } : {}),
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
        ...(line.options.length > 0 ? { options: line.options.map((option) => option.id) } : {}),
      };
    }),
    ...(state.tableNumber !== null ? { tableNumber: state.tableNumber } : {}),
    ...(note !== '' ? { note } : {}),
  };
}

/**
 * The choices of a past line as the menu has them today, or `undefined` when they can't be had
 * again: a choice gone or 86'd, or a group whose rules they no longer meet (a new required one).
 */
function choicesToday(
  item: MenuItem,
  chosen: readonly Pick<CartOption, 'id'>[],
): CartOption[] | undefined {
  const ids = new Set(chosen.map((option) => option.id));
  const options: CartOption[] = [];
  for (const group of item.optionGroups) {
    const picked = group.options.filter((option) => ids.has(option.id));
    if (picked.length < group.min || picked.length > group.max) return undefined;
    for (const option of picked) {
      if (!option.available) return undefined;
      ids.delete(option.id);
      options.push({
        id: option.id,
        groupName: group.name,
        name: option.name,
        priceDeltaCents: option.priceDeltaCents,
      });
    }
  }
  return ids.size === 0 ? options : undefined;
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
    const options =
      item === undefined || availabilityOf(item) !== 'available'
        ? undefined
        : choicesToday(item, line.options);
    if (item === undefined || options === undefined) {
      const label =
        line.options.length > 0
          ? `${line.name} (${line.options.map((option) => option.name).join(', ')})`
          : line.name;
      if (!skipped.includes(label)) skipped.push(label);
      continue;
    }
    lines.push({
      menuItemId: item.id,
      name: item.name,
      priceCents: unitPriceWith(item, options),
      options,
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
