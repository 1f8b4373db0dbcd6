import { asApiError } from '@taproom/web-core/api/api-client';
import type { PublicTable } from '@taproom/web-core/api/contracts';
import { useCart } from './cart-store';
import { api, session } from './session';

/** Where a table's QR link leaves the person: at that table, or told the code is dead. */
export type TableLinkOutcome =
  | { kind: 'seated'; tableNumber: number }
  | { kind: 'unknown' }
  | { kind: 'failed'; message: string };

/** Which table `token` names (`TABLE_UNKNOWN` for a dead code), without sitting anyone down. */
async function tableNumberOf(token: string): Promise<number> {
  const { data } = await api.get<PublicTable>(`/tables/${encodeURIComponent(token)}`, {
    skipAuth: true,
  });
  return data.number;
}

/** Whose the tab is when the link is opened decides what sitting down means. */
async function sitDown(token: string): Promise<number> {
  await session.restore();
  const { status, user } = session.getState();
  if (status === 'signedIn' && user !== null) {
    const number = await tableNumberOf(token);
    // A customer keeps their account: the table is only filled in. So does a guest already here.
    if (user.role !== 'guest' || number === user.tableNumber) return number;
    // A guest who moves to another table becomes that table's guest. The first table's session
    // is not ended first: if seating fails (the per-IP limit) the person is still its guest;
    // otherwise it idles out on its own (its orders are made all the same).
  }
  const guest = await session.startGuest(token);
  if (guest.tableNumber === null) throw new Error('The server seated a guest without a table.');
  return guest.tableNumber;
}

const opening = new Map<string, Promise<TableLinkOutcome>>();

/**
 * Opens a table's QR link once per token (a re-render or React's double effects reuse the first
 * attempt): the table goes into the cart, and a person without an account becomes its guest.
 */
export function openTableLink(token: string): Promise<TableLinkOutcome> {
  let attempt = opening.get(token);
  if (attempt === undefined) {
    attempt = sitDown(token).then(
      (tableNumber): TableLinkOutcome => {
        useCart.getState().setTableNumber(tableNumber);
        return { kind: 'seated', tableNumber };
      },
      (error: unknown): TableLinkOutcome => {
        opening.delete(token);
        const apiError = asApiError(error);
        if (apiError?.code === 'TABLE_UNKNOWN') return { kind: 'unknown' };
        return { kind: 'failed', message: apiError?.message ?? 'Could not open the table.' };
      },
    );
    opening.set(token, attempt);
  }
  return attempt;
}
