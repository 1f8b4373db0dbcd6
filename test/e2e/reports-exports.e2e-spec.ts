/**
 * The order list's table and customer filters, over real HTTP on a real database.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type SignedIn, bearer, loginAs, registerCustomer } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { type OrdersWorld, createItem, placeOrder, startOrdersWorld } from './orders-support.js';

// Real HTTP and a real database: slow machines need more than 5 s.
jest.setTimeout(60_000);

// Far from UTC (+14), so a venue's hour and day differ from UTC's.
const VENUE_TIMEZONE = 'Pacific/Kiritimati';

describe('order filters', () => {
  let world: OrdersWorld;
  let alice: SignedIn;
  let bob: SignedIn;
  let beer: { id: string };
  let nachos: { id: string };

  beforeAll(async () => {
    world = await startOrdersWorld({ VENUE_TIMEZONE });
    alice = await signedInCustomer('Alice Archer');
    bob = await signedInCustomer('Bob Baker');
    beer = await createItem(world, { name: 'Pilsner', priceCents: 500 });
    nachos = await createItem(world, { name: 'Nachos', priceCents: 250 });
  }, 60_000);
  afterAll(() => world.close());

  const url = (path: string): string => `${world.app.url}/api${path}`;

  async function signedInCustomer(name: string): Promise<SignedIn> {
    const user = await registerCustomer(world.app, { name });
    return loginAs(world.app, { email: user.email, password: user.password, app: 'customer' });
  }

  describe('GET /api/orders filters', () => {
    let aliceAtThree: any[];
    let bobAtFour: any;

    beforeAll(async () => {
      aliceAtThree = [];
      for (let i = 0; i < 2; i++) {
        const placed = await placeOrder(world, alice, {
          items: [{ menuItemId: beer.id, quantity: 1 }],
          tableNumber: 3,
        });
        aliceAtThree.push(placed.body);
      }
      bobAtFour = (
        await placeOrder(world, bob, {
          items: [{ menuItemId: nachos.id, quantity: 1 }],
          tableNumber: 4,
        })
      ).body;
    });

    const list = (query: string, who: SignedIn = world.bartender) =>
      request(url(`/orders${query}`), { headers: bearer(who.accessToken) });
    const ids = (response: { body: { items: { id: string }[] } }): string[] =>
      response.body.items.map((order) => order.id).sort();

    it('finds a table’s orders and a customer’s orders, for staff', async () => {
      const atThree = await list('?tableNumber=3');
      expect(atThree.status).toBe(200);
      expect(ids(atThree)).toEqual(aliceAtThree.map((order) => order.id).sort());
      expect(atThree.body.total).toBe(2);

      const bobs = await list(`?customerId=${bob.user.id}`);
      expect(ids(bobs)).toEqual([bobAtFour.id]);
      // Ids in any letter case name the same customer.
      const shouted = await list(`?customerId=${bob.user.id.toUpperCase()}`, world.admin);
      expect(ids(shouted)).toEqual([bobAtFour.id]);

      const both = await list(`?tableNumber=4&customerId=${alice.user.id}`);
      expect(both.body).toEqual({ items: [], total: 0 });
    });

    it('keeps a customer to their own orders, whatever customerId says', async () => {
      const others = await list(`?customerId=${bob.user.id}`, alice);
      expect(others.status).toBe(200);
      expect(others.body).toEqual({ items: [], total: 0 });
      const othersTable = await list('?tableNumber=4', alice);
      expect(othersTable.body).toEqual({ items: [], total: 0 });

      const own = await list(`?customerId=${alice.user.id}&tableNumber=3`, alice);
      expect(ids(own)).toEqual(aliceAtThree.map((order) => order.id).sort());
    });

    it.each([
      ['tableNumber=0', 'tableNumber'],
      ['tableNumber=1000', 'tableNumber'],
      ['tableNumber=7.5', 'tableNumber'],
      ['tableNumber=seven', 'tableNumber'],
      ['tableNumber=', 'tableNumber'],
      ['tableNumber=3&tableNumber=4', 'tableNumber'],
      ['customerId=someone', 'customerId'],
      ['customerId=', 'customerId'],
      [
        'customerId=00000000-0000-4000-8000-000000000000&customerId=00000000-0000-4000-8000-000000000001',
        'customerId',
      ],
    ])('refuses %s with 400 naming %s', async (query, field) => {
      const body = expectErrorBody(await list(`?${query}`), 400, 'VALIDATION_FAILED');
      expect(body.details).toEqual([expect.objectContaining({ field })]);
    });
  });
});
