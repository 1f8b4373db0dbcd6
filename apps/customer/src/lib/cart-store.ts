import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { CreateOrderRequest, MenuItem } from '@taproom/web-core/api/contracts';
import { CART_STORAGE_KEY } from '@/config/app-config';

export const MAX_QUANTITY = 20;
const MAX_LINES = 30;

export interface CartLine {
  menuItemId: string;
  /** Name and price as shown when added; the server sets the real price at checkout. */
  name: string;
  priceCents: number;
  quantity: number;
}

interface CartState {
  lines: CartLine[];
  tableNumber: number | null;
  note: string;
  /**
   * The Idempotency-Key of the checkout attempt in progress: made once, kept across retries,
   * double taps and reloads until the order is placed, and dropped when the order changes
   * (a changed body under the same key would be refused).
   */
  idempotencyKey: string | null;
  add: (item: Pick<MenuItem, 'id' | 'name' | 'priceCents'>) => void;
  setQuantity: (menuItemId: string, quantity: number) => void;
  remove: (menuItemId: string) => void;
  setTableNumber: (tableNumber: number | null) => void;
  setNote: (note: string) => void;
  /** The key for this attempt, made on first use. */
  checkoutKey: () => string;
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

/** The cart, kept per app in localStorage so it survives reloads. */
export const useCart = create<CartState>()(
  persist(
    (set, get) => ({
      lines: [],
      tableNumber: null,
      note: '',
      idempotencyKey: null,
      add: (item) => {
        set((state) => {
          const existing = state.lines.find((line) => line.menuItemId === item.id);
          if (existing !== undefined) {
            return {
              idempotencyKey: null,
              lines: state.lines.map((line) =>
                line === existing
                  ? { ...line, quantity: Math.min(MAX_QUANTITY, line.quantity + 1) }
                  : line,
              ),
            };
          }
          if (state.lines.length >= MAX_LINES) return state;
          return {
            idempotencyKey: null,
            lines: [
              ...state.lines,
              { menuItemId: item.id, name: item.name, priceCents: item.priceCents, quantity: 1 },
            ],
          };
        });
      },
      setQuantity: (menuItemId, quantity) => {
        set((state) => ({
          idempotencyKey: null,
          lines:
            quantity <= 0
              ? state.lines.filter((line) => line.menuItemId !== menuItemId)
              : state.lines.map((line) =>
                  line.menuItemId === menuItemId
                    ? { ...line, quantity: Math.min(MAX_QUANTITY, quantity) }
                    : line,
                ),
        }));
      },
      remove: (menuItemId) => {
        set((state) => ({
          idempotencyKey: null,
          lines: state.lines.filter((line) => line.menuItemId !== menuItemId),
        }));
      },
      setTableNumber: (tableNumber) => {
        set({ tableNumber, idempotencyKey: null });
      },
      setNote: (note) => {
        set({ note, idempotencyKey: null });
      },
      checkoutKey: () => {
        const existing = get().idempotencyKey;
        if (existing !== null) return existing;
        const key = newKey();
        set({ idempotencyKey: key });
        return key;
      },
      clear: () => {
        set({ lines: [], note: '', idempotencyKey: null });
      },
    }),
    {
      name: CART_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ lines, tableNumber, note, idempotencyKey }) => ({
        lines,
        tableNumber,
        note,
        idempotencyKey,
      }),
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
    items: state.lines.map((line) => ({ menuItemId: line.menuItemId, quantity: line.quantity })),
    ...(state.tableNumber !== null ? { tableNumber: state.tableNumber } : {}),
    ...(note !== '' ? { note } : {}),
  };
}
