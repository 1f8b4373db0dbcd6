import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { vatIncluded } from '../../src/orders/money.js';
import { type SignedIn, bearer } from '../support/auth.js';
import { type OpenStream, openEvents } from '../support/event-stream.js';
import { expectErrorBody, request } from '../support/http.js';
import { postgresUrl, waitUntilBlockedBy } from '../support/test-database.js';
import {
  type MenuItem,
  type OrdersWorld,
  advance,
  countRows,
  createItem,
  customer,
  placeOrder,
  startOrdersWorld,
  stockOf,
} from './orders-support.js';

// Real HTTP, a real database, many orders: slow machines need more than 5 s.
jest.setTimeout(120_000);

interface Option {
  id: string;
  name: string;
  priceDeltaCents: number;
  available: boolean;
}
interface Group {
  id: string;
  name: string;
  min: number;
  max: number;
  options: Option[];
}
type Item = MenuItem & { optionGroups: Group[]; vatRateBasisPoints: number };

const SIZE = {
  name: 'Size',
  min: 1,
  max: 1,
  options: [
    { name: 'Pint', priceDeltaCents: 0 },
    { name: 'Half', priceDeltaCents: -250 },
  ],
};
const EXTRAS = {
  name: 'Extras',
  min: 0,
  max: 2,
  options: [
    { name: 'Bacon', priceDeltaCents: 150 },
    { name: 'Cheese', priceDeltaCents: 100 },
    { name: 'Egg', priceDeltaCents: 120 },
  ],
};

describe('options and VAT', () => {
  let world: OrdersWorld;
  let alice: SignedIn;
  let stream: OpenStream;
  const url = (path: string) => `${world.app.url}/api${path}`;
  const option = (item: Item, name: string): Option => {
    const found = item.optionGroups.flatMap((group) => group.options).find((o) => o.name === name);
    if (!found) throw new Error(`no option ${name}`);
    return found;
  };
  const editItem = (id: string, body: unknown, token = world.admin.accessToken) =>
    request(url(`/admin/menu-items/${id}`), {
      method: 'PATCH',
      headers: bearer(token),
      json: body,
    });
  const setOption = (item: Item, optionId: string, available: boolean, token: string) =>
    request(url(`/menu/${item.id}/options/${optionId}/availability`), {
      method: 'PATCH',
      headers: bearer(token),
      json: { available },
    });
  const newItem = async (fields: Record<string, unknown>): Promise<Item> =>
    (await createItem(world, fields)) as Item;

  beforeAll(async () => {
    world = await startOrdersWorld();
    alice = await customer(world);
    const opened = await openEvents(world.app.url, world.bartender.accessToken);
    if (!opened.stream) throw new Error(`events: ${opened.status}`);
    stream = opened.stream;
  }, 60_000);
  afterAll(async () => {
    stream.close();
    await world.close();
  });

  describe('the menu', () => {
    it('creates items with option groups and a VAT rate, and shows them publicly', async () => {
      const burger = await newItem({
        name: 'Burger',
        priceCents: 1200,
        vatRateBasisPoints: 1000,
        optionGroups: [SIZE, EXTRAS],
      });
      expect(burger.vatRateBasisPoints).toBe(1000);
      expect(burger.optionGroups).toEqual([
        {
          id: expect.any(String),
          name: 'Size',
          min: 1,
          max: 1,
          options: [
            { id: expect.any(String), name: 'Pint', priceDeltaCents: 0, available: true },
            { id: expect.any(String), name: 'Half', priceDeltaCents: -250, available: true },
          ],
        },
        expect.objectContaining({ name: 'Extras', min: 0, max: 2 }),
      ]);
      const ids = burger.optionGroups.flatMap((g) => [g.id, ...g.options.map((o) => o.id)]);
      expect(new Set(ids).size).toBe(ids.length);
      const menu = await request(url('/menu'));
      expect(menu.body).toContainEqual(
        expect.objectContaining({ id: burger.id, optionGroups: burger.optionGroups }),
      );
      // Without them: no groups, rate 0.
      const plain = await newItem({});
      expect(plain).toMatchObject({ optionGroups: [], vatRateBasisPoints: 0 });
    });

    it('replaces the groups on a change: given ids are kept, others are new, missing ones go', async () => {
      const item = await newItem({ priceCents: 600, optionGroups: [SIZE, EXTRAS] });
      const [size, extras] = item.optionGroups as [Group, Group];
      const etag = (await request(url('/menu'))).headers.get('etag');
      const response = await editItem(item.id, {
        optionGroups: [
          {
            id: extras.id,
            name: 'Toppings',
            min: 0,
            max: 1,
            options: [
              { id: option(item, 'Cheese').id, name: 'Cheddar', priceDeltaCents: 90 },
              { name: 'Onion', priceDeltaCents: 30, available: false },
            ],
          },
        ],
      });
      expect(response.status).toBe(200);
      const [toppings] = response.body.optionGroups as [Group];
      expect(response.body.optionGroups).toHaveLength(1);
      expect(toppings).toMatchObject({ id: extras.id, name: 'Toppings', min: 0, max: 1 });
      expect(toppings.options[0]).toEqual({
        id: option(item, 'Cheese').id,
        name: 'Cheddar',
        priceDeltaCents: 90,
        available: true,
      });
      expect(toppings.options[1]).toMatchObject({ name: 'Onion', available: false });
      expect([size.id, ...size.options.map((o) => o.id)]).not.toContain(toppings.options[1]?.id);
      // The public menu (and its ETag) follow.
      const menu = await request(url('/menu'));
      expect(menu.headers.get('etag')).not.toBe(etag);
      expect(menu.body).toContainEqual(
        expect.objectContaining({ id: item.id, optionGroups: response.body.optionGroups }),
      );
      // Audited as an edit of the options.
      const audit = await request(url('/admin/audit?type=menu_item_updated&limit=100'), {
        headers: bearer(world.admin.accessToken),
      });
      const entry = audit.body.items.find(
        (candidate: { details: { menuItemId?: string } }) =>
          candidate.details.menuItemId === item.id,
      );
      expect(entry.details.fields).toEqual(['optionGroups']);
      expect(entry.summary).toContain('to Toppings (Cheddar (+0.90), Onion (+0.30))');
      // A change without optionGroups leaves them.
      const renamed = await editItem(item.id, {
        name: `${item.name} deluxe`,
        vatRateBasisPoints: 2000,
      });
      expect(renamed.body.optionGroups).toEqual(response.body.optionGroups);
      expect(renamed.body.vatRateBasisPoints).toBe(2000);
    });

    it('refuses option groups that break the rules, in the contract format, changing nothing', async () => {
      const item = await newItem({ priceCents: 300, optionGroups: [SIZE] });
      const other = await newItem({ optionGroups: [EXTRAS] });
      const group = (fields: Record<string, unknown>) => ({
        optionGroups: [{ ...SIZE, ...fields }],
      });
      const cases: [unknown, string][] = [
        [group({ min: 2, max: 1 }), 'optionGroups.0.min'],
        [group({ max: 3 }), 'optionGroups.0.max'],
        [group({ max: 0 }), 'optionGroups.0.max'],
        [group({ min: -1 }), 'optionGroups.0.min'],
        [group({ name: '' }), 'optionGroups.0.name'],
        [group({ name: 'x'.repeat(61) }), 'optionGroups.0.name'],
        [group({ options: [] }), 'optionGroups.0.options'],
        [
          group({ options: [{ name: 'Pint', priceDeltaCents: 100_001 }] }),
          'optionGroups.0.options.0.priceDeltaCents',
        ],
        [
          group({ options: [{ name: 'Pint', priceDeltaCents: 0, colour: 'red' }] }),
          'optionGroups.0.options.0.colour',
        ],
        [group({ id: other.optionGroups[0]?.id }), 'optionGroups.0.id'],
        [
          group({
            options: [{ id: other.optionGroups[0]?.options[0]?.id, name: 'X', priceDeltaCents: 0 }],
          }),
          'optionGroups.0.options.0.id',
        ],
        [group({ id: 'not-a-uuid' }), 'optionGroups.0.id'],
        [{ optionGroups: Array.from({ length: 11 }, () => SIZE) }, 'optionGroups'],
        [{ optionGroups: null }, 'optionGroups'],
        [{ vatRateBasisPoints: 10_001 }, 'vatRateBasisPoints'],
        [{ vatRateBasisPoints: 1.5 }, 'vatRateBasisPoints'],
        // A half at −250 on a price of 300 is fine; −301 is not (the price would go below 0).
        [
          group({
            options: [
              { name: 'Pint', priceDeltaCents: 0 },
              { name: 'Half', priceDeltaCents: -301 },
            ],
          }),
          'optionGroups',
        ],
        [{ priceCents: 200 }, 'optionGroups'],
      ];
      const before = await request(url('/admin/menu-items'), {
        headers: bearer(world.admin.accessToken),
      });
      for (const [body, field] of cases) {
        const response = await editItem(item.id, body);
        const error = expectErrorBody(response, 400, 'VALIDATION_FAILED');
        expect((error.details as { field: string }[]).map((detail) => detail.field)).toContain(
          field,
        );
      }
      // The same option id twice.
      const twice = await editItem(item.id, {
        optionGroups: [
          { ...SIZE, id: item.optionGroups[0]?.id },
          { ...EXTRAS, id: item.optionGroups[0]?.id },
        ],
      });
      expect(
        (expectErrorBody(twice, 400, 'VALIDATION_FAILED').details as { field: string }[])[0]?.field,
      ).toBe('optionGroups.1.id');
      const created = await request(url('/admin/menu-items'), {
        method: 'POST',
        headers: bearer(world.admin.accessToken),
        json: {
          name: 'Bad',
          category: 'Test',
          priceCents: 100,
          optionGroups: [{ ...SIZE, min: 2 }],
        },
      });
      expectErrorBody(created, 400, 'VALIDATION_FAILED');
      const after = await request(url('/admin/menu-items'), {
        headers: bearer(world.admin.accessToken),
      });
      expect(after.body).toEqual(before.body);
    });

    it('lets the bar take one option off and back: menu.updated, audited, not for customers', async () => {
      const item = await newItem({ optionGroups: [SIZE] });
      const half = option(item, 'Half');
      const seen = stream.events.length;
      const forbidden = await setOption(item, half.id, false, alice.accessToken);
      expectErrorBody(forbidden, 403, 'FORBIDDEN');
      const off = await setOption(item, half.id, false, world.bartender.accessToken);
      expect(off.status).toBe(200);
      expect(option(off.body as Item, 'Half').available).toBe(false);
      expect(option(off.body as Item, 'Pint').available).toBe(true);
      await stream.next(
        (event) => event.event === 'menu.updated' && stream.events.indexOf(event) >= seen,
      );
      const menu = await request(url('/menu'));
      const listed = (menu.body as Item[]).find((entry) => entry.id === item.id);
      expect(listed && option(listed, 'Half').available).toBe(false);
      // Unknown option, unknown item, malformed ids: 404.
      expectErrorBody(
        await setOption(item, randomUUID(), false, world.bartender.accessToken),
        404,
        'NOT_FOUND',
      );
      expectErrorBody(
        await setOption({ ...item, id: randomUUID() }, half.id, false, world.bartender.accessToken),
        404,
        'NOT_FOUND',
      );
      expectErrorBody(
        await setOption(item, 'nope', false, world.bartender.accessToken),
        404,
        'NOT_FOUND',
      );
      const audit = await request(url('/admin/audit?type=menu_availability_changed&limit=100'), {
        headers: bearer(world.admin.accessToken),
      });
      const entry = audit.body.items.find(
        (candidate: { details: { optionId?: string } }) => candidate.details.optionId === half.id,
      );
      expect(entry.summary).toBe(
        `${world.bartender.user.name} took Half (${item.name}) off the menu (86)`,
      );
      const on = await setOption(item, half.id, true, world.admin.accessToken);
      expect(option(on.body as Item, 'Half').available).toBe(true);
    });
  });

  describe('ordering with options', () => {
    it('prices each unit with its options and keeps a snapshot of them', async () => {
      const burger = await newItem({
        name: 'Snapshot Burger',
        priceCents: 1000,
        vatRateBasisPoints: 1000,
        stock: 10,
        optionGroups: [SIZE, EXTRAS],
      });
      const beer = await newItem({
        name: 'Snapshot Beer',
        priceCents: 550,
        vatRateBasisPoints: 2000,
      });
      const response = await placeOrder(world, alice, {
        items: [
          {
            menuItemId: burger.id,
            quantity: 3,
            // Sent in any order (and case); shown in the menu's order.
            options: [
              option(burger, 'Egg').id.toUpperCase(),
              option(burger, 'Half').id,
              option(burger, 'Bacon').id,
            ],
          },
          { menuItemId: beer.id, quantity: 1 },
        ],
      });
      expect(response.status).toBe(201);
      const order = response.body;
      expect(order.items[0]).toEqual({
        menuItemId: burger.id,
        name: 'Snapshot Burger',
        unitPriceCents: 1000 - 250 + 150 + 120,
        quantity: 3,
        note: null,
        station: 'bar',
        options: [
          { id: option(burger, 'Half').id, groupName: 'Size', name: 'Half', priceDeltaCents: -250 },
          {
            id: option(burger, 'Bacon').id,
            groupName: 'Extras',
            name: 'Bacon',
            priceDeltaCents: 150,
          },
          { id: option(burger, 'Egg').id, groupName: 'Extras', name: 'Egg', priceDeltaCents: 120 },
        ],
        vatRateBasisPoints: 1000,
      });
      expect(order.items[1]).toMatchObject({
        unitPriceCents: 550,
        options: [],
        vatRateBasisPoints: 2000,
      });
      expect(order.totalCents).toBe(1020 * 3 + 550);
      const burgerVat = vatIncluded(3060, 1000);
      const beerVat = vatIncluded(550, 2000);
      expect(order.vat).toEqual([
        { rateBasisPoints: 1000, netCents: 3060 - burgerVat, vatCents: burgerVat },
        { rateBasisPoints: 2000, netCents: 550 - beerVat, vatCents: beerVat },
      ]);
      expect(await stockOf(world, burger.id)).toBe(7);
      // Later menu edits do not change the order.
      await editItem(burger.id, {
        vatRateBasisPoints: 2000,
        optionGroups: [{ ...SIZE, id: burger.optionGroups[0]?.id, name: 'Portion' }],
      });
      const read = await request(url(`/orders/${order.id}`), {
        headers: bearer(alice.accessToken),
      });
      expect(read.body).toEqual(order);
    });

    it('refuses options that do not fit, with OPTIONS_INVALID and nothing changed', async () => {
      const burger = await newItem({ priceCents: 900, stock: 5, optionGroups: [SIZE, EXTRAS] });
      const other = await newItem({ optionGroups: [SIZE] });
      const off = await newItem({ optionGroups: [SIZE] });
      await setOption(off, option(off, 'Half').id, false, world.bartender.accessToken);
      const [size, extras] = burger.optionGroups as [Group, Group];
      const pint = option(burger, 'Pint').id;
      const cases: [unknown, Record<string, unknown>][] = [
        [
          { menuItemId: burger.id, quantity: 1 },
          { groupId: size.id, groupName: 'Size', reason: 'too_few' },
        ],
        [
          { menuItemId: burger.id, quantity: 1, options: [pint, option(burger, 'Half').id] },
          { groupId: size.id, groupName: 'Size', reason: 'too_many' },
        ],
        [
          {
            menuItemId: burger.id,
            quantity: 1,
            options: [pint, ...['Bacon', 'Cheese', 'Egg'].map((name) => option(burger, name).id)],
          },
          { groupId: extras.id, groupName: 'Extras', reason: 'too_many' },
        ],
        [
          { menuItemId: burger.id, quantity: 1, options: [pint, randomUUID()] },
          { reason: 'unknown_option' },
        ],
        [
          { menuItemId: burger.id, quantity: 1, options: [pint, option(other, 'Half').id] },
          { optionId: option(other, 'Half').id, reason: 'unknown_option' },
        ],
        [
          { menuItemId: burger.id, quantity: 1, options: [pint, pint] },
          { optionId: pint, reason: 'duplicate' },
        ],
        [
          { menuItemId: off.id, quantity: 1, options: [option(off, 'Half').id] },
          { optionId: option(off, 'Half').id, groupName: 'Size', reason: 'unavailable' },
        ],
      ];
      const orders = await countRows(world, 'orders');
      const lines = await countRows(world, 'order_items');
      for (const [line, details] of cases) {
        const key = randomUUID();
        const response = await placeOrder(
          world,
          alice,
          { items: [{ menuItemId: burger.id, quantity: 2, options: [pint] }, line] },
          key,
        );
        const error = expectErrorBody(response, 400, 'OPTIONS_INVALID');
        const menuItemId = (line as { menuItemId: string }).menuItemId;
        expect(error.details).toMatchObject({ menuItemId, ...details });
        expect(error.message).not.toMatch(/OPTIONS_INVALID|undefined/);
        // The key was not spent: a corrected request with it succeeds later (tested once below).
        if (details.reason === 'duplicate') {
          const fixed = await placeOrder(
            world,
            alice,
            { items: [{ menuItemId: burger.id, quantity: 1, options: [pint] }] },
            key,
          );
          expect(fixed.status).toBe(201);
          await request(url(`/orders/${fixed.body.id}/cancel`), {
            method: 'POST',
            headers: bearer(alice.accessToken),
            json: {},
          });
        }
      }
      expect(await countRows(world, 'orders')).toBe(orders + 1);
      expect(await countRows(world, 'order_items')).toBe(lines + 1);
      expect(await stockOf(world, burger.id)).toBe(5);
      // Badly formed options are a validation error.
      for (const options of [['nope'], 'x', Array.from({ length: 21 }, () => randomUUID())]) {
        const response = await placeOrder(world, alice, {
          items: [{ menuItemId: burger.id, quantity: 1, options }],
        });
        const error = expectErrorBody(response, 400, 'VALIDATION_FAILED');
        expect((error.details as { field: string }[])[0]?.field).toBe('items.0.options');
      }
    });

    it('counts options in the idempotency of a request', async () => {
      const item = await newItem({ optionGroups: [EXTRAS] });
      const [bacon, cheese, egg] = ['Bacon', 'Cheese', 'Egg'].map(
        (name) => option(item, name).id,
      ) as [string, string, string];
      const key = randomUUID();
      const first = await placeOrder(
        world,
        alice,
        { items: [{ menuItemId: item.id, quantity: 1, options: [bacon, cheese] }] },
        key,
      );
      expect(first.status).toBe(201);
      const again = await placeOrder(
        world,
        alice,
        { items: [{ menuItemId: item.id, quantity: 1, options: [cheese, bacon] }] },
        key,
      );
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      const other = await placeOrder(
        world,
        alice,
        { items: [{ menuItemId: item.id, quantity: 1, options: [bacon, egg] }] },
        key,
      );
      expectErrorBody(other, 422, 'IDEMPOTENCY_MISMATCH');
      const none = await placeOrder(
        world,
        alice,
        { items: [{ menuItemId: item.id, quantity: 1 }] },
        key,
      );
      expectErrorBody(none, 422, 'IDEMPOTENCY_MISMATCH');
    });

    it('refuses an option 86d from the bar, and takes it again once it is back', async () => {
      const gin = await newItem({
        name: 'G&T',
        priceCents: 900,
        optionGroups: [
          {
            name: 'Tonic',
            min: 1,
            max: 1,
            options: [
              { name: 'Classic', priceDeltaCents: 0 },
              { name: 'Elderflower', priceDeltaCents: 50 },
            ],
          },
        ],
      });
      const elderflower = option(gin, 'Elderflower').id;
      const seen = stream.events.length;
      expect((await setOption(gin, elderflower, false, world.bartender.accessToken)).status).toBe(
        200,
      );
      await stream.next(
        (event) => event.event === 'menu.updated' && stream.events.indexOf(event) >= seen,
      );
      const refused = await placeOrder(world, alice, {
        items: [{ menuItemId: gin.id, quantity: 1, options: [elderflower] }],
      });
      expect(expectErrorBody(refused, 400, 'OPTIONS_INVALID').details).toEqual({
        menuItemId: gin.id,
        groupId: gin.optionGroups[0]?.id,
        groupName: 'Tonic',
        optionId: elderflower,
        reason: 'unavailable',
      });
      await setOption(gin, elderflower, true, world.bartender.accessToken);
      const taken = await placeOrder(world, alice, {
        items: [{ menuItemId: gin.id, quantity: 1, options: [elderflower] }],
      });
      expect(taken.status).toBe(201);
      expect(taken.body.totalCents).toBe(950);
    });

    it('checks the options again under the item lock when the order is placed', async () => {
      // The placing statement is given an option that was available when the order read the
      // menu and is not any more: it places nothing.
      const item = await newItem({ stock: 4, optionGroups: [SIZE] });
      const half = option(item, 'Half').id;
      await setOption(item, half, false, world.bartender.accessToken);
      const orders = await countRows(world, 'orders');
      const { OrdersRepository } = await import('../../src/orders/orders.repository.js');
      const repository = world.app.app.get(OrdersRepository);
      const manager = world.app.app.get(DataSource).manager;
      const line = {
        menuItemId: item.id,
        name: item.name,
        unitPriceCents: 250,
        quantity: 1,
        note: null,
        station: 'bar',
        options: [{ id: half, groupName: 'Size', name: 'Half', priceDeltaCents: -250 }],
        vatRateBasisPoints: 0,
      };
      const placement = await repository.placeOrder(
        manager,
        {
          id: randomUUID(),
          number: 9999,
          businessDay: '2026-01-01',
          customerId: alice.user.id,
          customerName: alice.user.name,
          customerRole: 'customer',
          totalCents: 250,
          tableNumber: null,
          note: null,
          at: new Date(),
          lines: [line],
          stock: [{ menuItemId: item.id, quantity: 1 }],
          unlimited: [],
          chosenOptions: [{ menuItemId: item.id, optionId: half }],
          key: randomUUID(),
          requestHash: 'x',
          response: {} as never,
        },
        [{ type: 'menu.updated' }],
      );
      expect(placement).toMatchObject({ kind: 'option changed', option: { optionId: half } });
      expect(await countRows(world, 'orders')).toBe(orders);
      expect(await stockOf(world, item.id)).toBe(4);
    });

    if (postgresUrl) {
      it('refuses an option 86d while the order waits for the item (PostgreSQL)', async () => {
        const item = await newItem({ optionGroups: [SIZE] });
        const half = option(item, 'Half').id;
        const holder = world.app.app.get(DataSource).createQueryRunner();
        await holder.connect();
        try {
          await holder.startTransaction();
          const [{ pid }] = (await holder.query(`SELECT pg_backend_pid() AS pid`)) as [
            { pid: number },
          ];
          // The 86 as the menu service makes it (the row locked FOR UPDATE, then written), not
          // committed yet: the order reads the menu with the option on, then waits for the row.
          await holder.query(`SELECT 1 FROM menu_items WHERE id = $1 FOR UPDATE`, [item.id]);
          await holder.query(
            `UPDATE menu_items
                SET option_groups = jsonb_set(option_groups, '{0,options,1,available}', 'false')
              WHERE id = $1`,
            [item.id],
          );
          const pending = placeOrder(world, alice, {
            items: [{ menuItemId: item.id, quantity: 1, options: [half] }],
          });
          expect(await waitUntilBlockedBy(world.app, pid)).toBe(true);
          await holder.commitTransaction();
          const response = await pending;
          expect(expectErrorBody(response, 400, 'OPTIONS_INVALID').details).toMatchObject({
            menuItemId: item.id,
            optionId: half,
            reason: 'unavailable',
          });
        } finally {
          if (holder.isTransactionActive) await holder.rollbackTransaction();
          await holder.release();
        }
      });
    }
  });

  describe('VAT', () => {
    it('splits every basket exactly: the shares add up to the total (random baskets)', async () => {
      const rates = [0, 500, 700, 1000, 1300, 1900, 2000, 2100, 2500];
      const items: Item[] = [];
      for (const [index, rate] of rates.entries()) {
        items.push(
          await newItem({
            name: `VAT ${rate}`,
            priceCents: 99 + index * 137,
            vatRateBasisPoints: rate,
            optionGroups: [
              {
                name: 'Extras',
                min: 0,
                max: 3,
                options: [
                  { name: 'A', priceDeltaCents: 33 },
                  { name: 'B', priceDeltaCents: 1 },
                  { name: 'C', priceDeltaCents: -7 },
                ],
              },
            ],
          }),
        );
      }
      const line = fc.record({
        item: fc.constantFrom(...items),
        quantity: fc.integer({ min: 1, max: 20 }),
        picks: fc.subarray([0, 1, 2]),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (basket) => {
          const response = await placeOrder(world, alice, {
            items: basket.map(({ item, quantity, picks }) => ({
              menuItemId: item.id,
              quantity,
              options: picks.map((pick) => item.optionGroups[0]?.options[pick]?.id),
            })),
          });
          expect(response.status).toBe(201);
          const order = response.body;
          let total = 0;
          const expected = new Map<number, { netCents: number; vatCents: number }>();
          for (const { item, quantity, picks } of basket) {
            const unit =
              item.priceCents +
              picks.reduce(
                (sum, pick) => sum + (item.optionGroups[0]?.options[pick]?.priceDeltaCents ?? 0),
                0,
              );
            const gross = unit * quantity;
            total += gross;
            const vat = vatIncluded(gross, item.vatRateBasisPoints);
            const share = expected.get(item.vatRateBasisPoints) ?? { netCents: 0, vatCents: 0 };
            share.netCents += gross - vat;
            share.vatCents += vat;
            expected.set(item.vatRateBasisPoints, share);
          }
          expect(order.totalCents).toBe(total);
          expect(order.vat).toEqual(
            [...expected.entries()]
              .sort(([a], [b]) => a - b)
              .map(([rateBasisPoints, share]) => ({ rateBasisPoints, ...share })),
          );
          const sum = (order.vat as { netCents: number; vatCents: number }[]).reduce(
            (acc, share) => acc + share.netCents + share.vatCents,
            0,
          );
          expect(sum).toBe(order.totalCents);
        }),
        { numRuns: 30 },
      );
    });

    it("reports the VAT of completed orders as the sum of the orders' own breakdowns", async () => {
      const food = await newItem({
        priceCents: 1033,
        vatRateBasisPoints: 1000,
        optionGroups: [EXTRAS],
      });
      const drink = await newItem({ priceCents: 457, vatRateBasisPoints: 2000 });
      const report = () =>
        request(url('/admin/reports/sales'), { headers: bearer(world.admin.accessToken) });
      const before = (await report()).body.vat as {
        rateBasisPoints: number;
        netCents: number;
        vatCents: number;
      }[];
      const completed = [];
      for (let i = 1; i <= 4; i++) {
        const response = await placeOrder(world, alice, {
          items: [
            {
              menuItemId: food.id,
              quantity: i,
              options: i % 2 === 0 ? [option(food, 'Egg').id] : [],
            },
            { menuItemId: drink.id, quantity: 5 - i },
          ],
        });
        expect(response.status).toBe(201);
        completed.push(await advance(world, world.bartender, response.body, 'completed'));
      }
      // An order not completed does not count.
      await placeOrder(world, alice, { items: [{ menuItemId: drink.id, quantity: 3 }] });
      const after = (await report()).body;
      const expected = new Map(before.map((share) => [share.rateBasisPoints, { ...share }]));
      for (const order of completed) {
        for (const share of order.vat as {
          rateBasisPoints: number;
          netCents: number;
          vatCents: number;
        }[]) {
          const entry = expected.get(share.rateBasisPoints) ?? {
            rateBasisPoints: share.rateBasisPoints,
            netCents: 0,
            vatCents: 0,
          };
          entry.netCents += share.netCents;
          entry.vatCents += share.vatCents;
          expected.set(share.rateBasisPoints, entry);
        }
      }
      expect(after.vat).toEqual(
        [...expected.values()].sort((a, b) => a.rateBasisPoints - b.rateBasisPoints),
      );
      const vatTotal = (after.vat as { netCents: number; vatCents: number }[]).reduce(
        (sum, share) => sum + share.netCents + share.vatCents,
        0,
      );
      expect(vatTotal).toBe(after.totalRevenueCents);
    });
  });
});
