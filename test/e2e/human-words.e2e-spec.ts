import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type FormName,
  UNKNOWN_FIELD_WORDS,
  humanFieldErrors,
} from '../../packages/web-core/src/api/field-words.js';
import { bearer, signInNew, uniqueEmail } from '../support/auth.js';
import { expectErrorBody, type JsonResponse, request } from '../support/http.js';
import { type OrdersWorld, createItem, customer, startOrdersWorld } from './orders-support.js';

/**
 * The apps' words for invalid fields (packages/web-core/src/api/field-words.ts) run on the real
 * server's `VALIDATION_FAILED` answers: every field the server names gets a sentence of the form's
 * own, never the server's text and never the catch-all. A new validator rule or a renamed field on
 * the server fails here until the apps have words for it.
 */
describe('human words for the server’s real validation answers', () => {
  let world: OrdersWorld;

  beforeAll(async () => {
    world = await startOrdersWorld();
  }, 60_000);
  afterAll(() => world.close());

  const send = (
    method: string,
    path: string,
    json: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse> => request(`${world.app.url}/api${path}`, { method, headers, json });

  /** The answer's details, checked field by field; returns the sentences for a closer look. */
  function expectHumanWords(
    form: FormName,
    response: JsonResponse,
    fields: readonly string[],
  ): Record<string, string> {
    const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
    const details = body.details as { field: string; errors: string[] }[];
    expect(details.map((detail) => detail.field).sort()).toEqual([...fields].sort());
    const words = humanFieldErrors(form, details);
    for (const { field, errors } of details) {
      const sentence = words[field];
      expect(sentence).toMatch(/^[A-Z].*\.$/);
      expect(sentence).not.toBe(UNKNOWN_FIELD_WORDS);
      for (const raw of errors) expect(sentence).not.toContain(raw);
      // A path or a camelCase name is the server's, not a person's ("name" is both).
      if (/[A-Z.]/.test(field)) expect(sentence).not.toContain(field);
      expect(sentence).not.toBe(body.message);
    }
    return words;
  }

  it('register: empty name, bad email, missing password; then short and common passwords', async () => {
    const words = expectHumanWords(
      'register',
      await send('POST', '/auth/register', { name: '  ', email: 'not-an-email' }),
      ['name', 'email', 'password'],
    );
    expect(words).toEqual({
      name: 'Please enter your name.',
      email: 'That doesn’t look like an email address.',
      password: 'Please choose a password.',
    });
    const short = expectHumanWords(
      'register',
      await send('POST', '/auth/register', {
        name: 'Ann',
        email: uniqueEmail(),
        password: 'short',
      }),
      ['password'],
    );
    expect(short.password).toBe('Use at least 10 characters.');
    const common = expectHumanWords(
      'register',
      await send('POST', '/auth/register', {
        name: 'Ann',
        email: uniqueEmail(),
        password: 'password1234',
      }),
      ['password'],
    );
    expect(common.password).toBe('That password is too common — pick something less guessable.');
    const lookalike = expectHumanWords(
      'register',
      await send('POST', '/auth/register', {
        name: 'x'.repeat(101),
        // A Cyrillic "а" among Latin letters.
        email: 'p\u0430ypal@example.com',
        password: 'correct-horse-battery',
      }),
      ['name', 'email'],
    );
    expect(lookalike.name).toBe('Keep the name within 100 characters.');
    expect(lookalike.email).toContain('could pass for others');
  });

  it('sign-in: no email, no password', async () => {
    expectHumanWords('signIn', await send('POST', '/auth/login', { app: 'customer' }), [
      'email',
      'password',
    ]);
  });

  it('change password, and a staff password: the limit is read from the answer', async () => {
    const ann = await signInNew(world.app, 'customer');
    const customerWords = expectHumanWords(
      'changePassword',
      await send(
        'POST',
        '/auth/change-password',
        { currentPassword: ann.credentials.password, newPassword: 'nine-char' },
        bearer(ann.accessToken),
      ),
      ['newPassword'],
    );
    expect(customerWords.newPassword).toBe('Use at least 10 characters.');
    const staff = expectHumanWords(
      'newUser',
      await send(
        'POST',
        '/admin/users',
        { name: 'Sam', email: uniqueEmail(), role: 'bartender', password: 'fourteen-chars' },
        bearer(world.admin.accessToken),
      ),
      ['password'],
    );
    expect(staff.password).toBe('Use at least 15 characters.');
    // A staff member changing their own password: the account page shows the server's limit.
    const bartender = await signInNew(world.app, 'bartender');
    const ownStaff = expectHumanWords(
      'changePassword',
      await send(
        'POST',
        '/auth/change-password',
        { currentPassword: bartender.credentials.password, newPassword: 'fourteen-chars' },
        bearer(bartender.accessToken),
      ),
      ['newPassword'],
    );
    expect(ownStaff.newPassword).toBe('Use at least 15 characters.');
  });

  it('users: a new account with nothing filled in, and a rename to nothing', async () => {
    expectHumanWords(
      'newUser',
      await send(
        'POST',
        '/admin/users',
        { name: '', email: 'sam@', role: 'chef' },
        bearer(world.admin.accessToken),
      ),
      ['name', 'email', 'role', 'password'],
    );
    const words = expectHumanWords(
      'editUser',
      await send(
        'PATCH',
        `/admin/users/${world.bartender.user.id}`,
        { name: ' ' },
        bearer(world.admin.accessToken),
      ),
      ['name'],
    );
    expect(words.name).toBe('Please enter their name.');
    const password = expectHumanWords(
      'editUser',
      await send(
        'PATCH',
        `/admin/users/${world.bartender.user.id}`,
        { password: 'short' },
        bearer(world.admin.accessToken),
      ),
      ['password'],
    );
    expect(password.password).toBe('Use at least 15 characters.');
  });

  it('menu items: every field of the editor, and a restock', async () => {
    expectHumanWords(
      'menuItem',
      await send(
        'POST',
        '/admin/menu-items',
        {
          name: '',
          description: 'd'.repeat(501),
          category: 'c'.repeat(41),
          priceCents: -1,
          stock: 1.5,
          allergens: ['Gluten!'],
        },
        bearer(world.admin.accessToken),
      ),
      ['name', 'description', 'category', 'priceCents', 'stock', 'allergens'],
    );
    const item = await createItem(world, { stock: null });
    const unlimited = expectHumanWords(
      'menuItem',
      await send(
        'PATCH',
        `/admin/menu-items/${item.id}`,
        { stockDelta: 5 },
        bearer(world.admin.accessToken),
      ),
      ['stockDelta'],
    );
    expect(unlimited.stockDelta).toBe('This item has unlimited stock. Set a stock number first.');
    expectHumanWords(
      'menuItem',
      await send(
        'PATCH',
        `/admin/menu-items/${item.id}`,
        { station: 'garden', stockDelta: 0 },
        bearer(world.admin.accessToken),
      ),
      ['stockDelta'],
    );
    expectHumanWords(
      'menuItem',
      await send(
        'PATCH',
        `/admin/menu-items/${item.id}`,
        { station: 'garden' },
        bearer(world.admin.accessToken),
      ),
      ['station'],
    );
  });

  it('orders: quantity, notes, table number and an item not on the menu', async () => {
    const ann = await customer(world);
    const item = await createItem(world);
    const words = expectHumanWords(
      'order',
      await send(
        'POST',
        '/orders',
        {
          items: [
            { menuItemId: item.id, quantity: 21 },
            { menuItemId: item.id, quantity: 1, note: 'n'.repeat(141) },
          ],
          tableNumber: 1000,
          note: 'n'.repeat(281),
        },
        { ...bearer(ann.accessToken), 'idempotency-key': randomUUID() },
      ),
      ['items.0.quantity', 'items.1.note', 'tableNumber', 'note'],
    );
    expect(words).toEqual({
      'items.0.quantity': 'At most 20 of one item.',
      'items.1.note': 'Keep the note within 140 characters.',
      tableNumber: 'Table numbers run from 1 to 999.',
      note: 'Keep the note within 280 characters.',
    });
    expectHumanWords(
      'order',
      await send(
        'POST',
        '/orders',
        { items: [{ menuItemId: randomUUID(), quantity: 1 }] },
        { ...bearer(ann.accessToken), 'idempotency-key': randomUUID() },
      ),
      ['items.0.menuItemId'],
    );
    expectHumanWords(
      'order',
      await send(
        'POST',
        '/orders',
        { items: [] },
        { ...bearer(ann.accessToken), 'idempotency-key': randomUUID() },
      ),
      ['items'],
    );
  });

  it('payments, tab payments and refunds', async () => {
    const ann = await customer(world);
    const item = await createItem(world);
    const order = await send(
      'POST',
      '/orders',
      { items: [{ menuItemId: item.id, quantity: 1 }] },
      { ...bearer(ann.accessToken), 'idempotency-key': randomUUID() },
    );
    expect(order.status).toBe(201);
    const id = (order.body as { id: string }).id;
    const till = { ...bearer(world.bartender.accessToken), 'idempotency-key': randomUUID() };
    expectHumanWords(
      'payment',
      await send(
        'POST',
        `/orders/${id}/payments`,
        { method: 'cheque', amountCents: 0, tipCents: -1 },
        till,
      ),
      ['method', 'amountCents', 'tipCents'],
    );
    expectHumanWords(
      'payment',
      await send(
        'POST',
        '/tabs/payments',
        { tableNumber: 3, method: 'card', amountCents: 1.5, orderIds: ['nope'] },
        { ...bearer(world.bartender.accessToken), 'idempotency-key': randomUUID() },
      ),
      ['amountCents', 'orderIds'],
    );
    expectHumanWords(
      'refund',
      await send(
        'POST',
        `/orders/${id}/refunds`,
        { amountCents: -5, reason: '' },
        bearer(world.admin.accessToken),
      ),
      ['amountCents', 'reason'],
    );
  });

  it('cancel reasons and the bar board’s ticket ages', async () => {
    const ann = await customer(world);
    const item = await createItem(world);
    const order = await send(
      'POST',
      '/orders',
      { items: [{ menuItemId: item.id, quantity: 1 }] },
      { ...bearer(ann.accessToken), 'idempotency-key': randomUUID() },
    );
    expect(order.status).toBe(201);
    const id = (order.body as { id: string }).id;
    expectHumanWords(
      'cancelOrder',
      await send('POST', `/orders/${id}/cancel`, {}, bearer(world.bartender.accessToken)),
      ['reason'],
    );
    expectHumanWords(
      'cancelOrder',
      await send(
        'POST',
        `/orders/${id}/cancel`,
        { reason: 'r'.repeat(281) },
        bearer(world.bartender.accessToken),
      ),
      ['reason'],
    );
    expectHumanWords(
      'venue',
      await send(
        'PATCH',
        '/admin/venue',
        { ticketAmberAfterSeconds: 30, ticketRedAfterSeconds: 99_999 },
        bearer(world.admin.accessToken),
      ),
      ['ticketAmberAfterSeconds', 'ticketRedAfterSeconds'],
    );
    const order2 = expectHumanWords(
      'venue',
      await send(
        'PATCH',
        '/admin/venue',
        { ticketAmberAfterSeconds: 600, ticketRedAfterSeconds: 300 },
        bearer(world.admin.accessToken),
      ),
      ['ticketRedAfterSeconds'],
    );
    expect(order2.ticketRedAfterSeconds).toContain('Amber has to come first');
  });
});
