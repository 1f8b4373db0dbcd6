import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SignedIn, bearer, createUser, loginAs, loginRequest } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

interface AuditItem {
  id: string;
  type: string;
  userId: string | null;
  user: { id: string; name: string; email: string } | null;
  actor: { id: string; name: string } | null;
  summary: string;
  details: Record<string, unknown>;
}

/**
 * The audit log as a manager reads it: entries name people (`user`, `actor`) and say what
 * happened in one sentence (`summary`); `q` finds entries by a person's name or email, and the
 * admin sessions list takes `q` as well.
 */
describe('a readable audit log', () => {
  let app: TestApp;
  let admin: SignedIn;
  let sam: { id: string; email: string; name: string; password: string };

  const url = (path: string): string => `${app.url}/api${path}`;

  async function audit(query: string): Promise<{ items: AuditItem[]; total: number }> {
    const response = await request(url(`/admin/audit?limit=100&${query}`), {
      headers: bearer(admin.accessToken),
    });
    expect(response.status).toBe(200);
    return response.body as { items: AuditItem[]; total: number };
  }

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: { SEED_DEMO: 'false', RATE_LIMIT_USER_PER_MINUTE: '0' },
    });
    const adminUser = await createUser(app, 'admin', { name: 'Alex Morgan' });
    admin = await loginAs(app, {
      email: adminUser.email,
      password: adminUser.password,
      app: 'admin',
    });
    sam = await createUser(app, 'bartender', {
      name: 'Sam Lee',
      email: `sam.lee.${String(Date.now())}@example.com`,
    });
  }, 60_000);
  afterAll(() => app.close());

  it('names the person and the actor, and says a menu price change as a sentence', async () => {
    const created = await request(url('/admin/menu-items'), {
      method: 'POST',
      headers: bearer(admin.accessToken),
      json: { name: 'Pilsner', category: 'Beer', priceCents: 500 },
    });
    const item = created.body as { id: string };
    await request(url(`/admin/menu-items/${item.id}`), {
      method: 'PATCH',
      headers: bearer(admin.accessToken),
      json: { priceCents: 550 },
    });
    const { items } = await audit('type=menu_item_updated');
    const entry = items.find((candidate) => candidate.details.menuItemId === item.id);
    expect(entry).toMatchObject({
      user: { id: admin.user.id, name: 'Alex Morgan', email: admin.user.email },
      actor: { id: admin.user.id, name: 'Alex Morgan' },
      summary: "Alex Morgan changed Pilsner's price from €5.00 to €5.50",
    });
  });

  it("tells the admin's doing apart from the person it was done to", async () => {
    const response = await request(url(`/admin/users/${sam.id}`), {
      method: 'PATCH',
      headers: bearer(admin.accessToken),
      json: { role: 'admin' },
    });
    expect(response.status).toBe(200);
    const { items } = await audit(`type=user_role_changed&userId=${sam.id}`);
    expect(items[0]).toMatchObject({
      user: { id: sam.id, name: 'Sam Lee', email: sam.email },
      actor: { id: admin.user.id, name: 'Alex Morgan' },
      summary: "Alex Morgan changed Sam Lee's role from bartender to admin",
    });
    await request(url(`/admin/users/${sam.id}`), {
      method: 'PATCH',
      headers: bearer(admin.accessToken),
      json: { role: 'bartender' },
    });
  });

  it('has no actor for a failed sign-in, and names the address nobody owns', async () => {
    await loginRequest(app, { email: sam.email, password: 'not-the-password-1', app: 'bartender' });
    const stranger = `nobody.${String(Date.now())}@example.com`;
    await loginRequest(app, { email: stranger, password: 'not-the-password-1', app: 'bartender' });
    const { items } = await audit('type=login_failed');
    const known = items.find((entry) => entry.userId === sam.id);
    expect(known).toMatchObject({
      user: { name: 'Sam Lee' },
      actor: null,
      summary: 'A sign-in to the bartender app as Sam Lee failed: wrong password',
    });
    const unknown = items.find((entry) => entry.details.email === stranger);
    expect(unknown).toMatchObject({
      user: null,
      actor: null,
      summary: `A sign-in to the bartender app as ${stranger} failed: no such account`,
    });
  });

  it('finds entries by name or email with q, as the person, the actor or the address tried', async () => {
    await loginAs(app, { email: sam.email, password: sam.password, app: 'bartender' });
    const byName = await audit('q=sam%20lee');
    expect(byName.total).toBeGreaterThan(0);
    for (const entry of byName.items) {
      const named = [entry.user?.name, entry.actor?.name].includes('Sam Lee');
      expect(named || entry.details.email === sam.email).toBe(true);
    }
    expect(byName.items.map((entry) => entry.type)).toEqual(
      expect.arrayContaining(['login_succeeded', 'login_failed', 'user_role_changed']),
    );
    // By part of the address, any case; and as the one who acted (Alex changed Sam's role).
    const byEmail = await audit(`q=${encodeURIComponent(sam.email.slice(0, 12).toUpperCase())}`);
    expect(byEmail.items.some((entry) => entry.userId === sam.id)).toBe(true);
    const byActor = await audit('q=Alex%20Morgan&type=user_role_changed');
    expect(byActor.items.some((entry) => entry.userId === sam.id)).toBe(true);
    // LIKE wildcards are matched literally, not as wildcards.
    expect((await audit('q=%25')).total).toBe(0);
    expect((await audit('q=_')).total).toBe(0);
  });

  it('finds a failed sign-in to an unknown address by part of it with q', async () => {
    const stranger = `q-stranger.${String(Date.now())}@example.com`;
    await loginRequest(app, { email: stranger, password: 'not-the-password-1', app: 'bartender' });
    const found = await audit(`q=${encodeURIComponent(stranger.slice(0, 16).toUpperCase())}`);
    expect(found.items.map((entry) => entry.details.email)).toEqual([stranger]);
    expect(found.total).toBe(1);
  });

  it('finds the same entries by q when more people match than it looks up by id', async () => {
    // 1,001 people called "Crowd Member n": more than the search lists by id.
    const crowd = await app.sql<{ id: string; name: string }>(
      `INSERT INTO users (id, email, email_canonical, name, role, password_hash, active,
                          created_at, updated_at, credentials_version, two_factor_enabled)
       SELECT gen_random_uuid(), 'crowd' || n || '@example.com', 'crowd' || n || '@example.com',
              'Crowd Member ' || n, role, password_hash, active, now(), now(), 0, false
         FROM users, generate_series(1, 1001) AS n
        WHERE id = $1
       RETURNING id, name`,
      [sam.id],
    );
    const member = (name: string): string => crowd.find((user) => user.name === name)!.id;
    // One entry about member 7 (their own doing, so its actor too), one of member 8's about Sam.
    await app.sql(
      `INSERT INTO audit_events (id, type, user_id, details)
       VALUES (gen_random_uuid(), 'user_deactivated', $1, '{}'),
              (gen_random_uuid(), 'user_deactivated', $2, jsonb_build_object('actorId', $3::text))`,
      [member('Crowd Member 7'), sam.id, member('Crowd Member 8')],
    );
    const all = await audit('q=crowd%20member');
    expect(all.total).toBe(2);
    expect(all.items.map((entry) => [entry.user?.name, entry.actor?.name ?? null])).toEqual([
      ['Sam Lee', 'Crowd Member 8'],
      ['Crowd Member 7', 'Crowd Member 7'],
    ]);
    // Fewer matches (7, 70-79, 700-799), looked up by id: the same entry.
    const seven = await audit('q=crowd%20member%207');
    expect(seven.items.map((entry) => entry.user?.name)).toEqual(['Crowd Member 7']);
    const eight = await audit('q=crowd%20member%208&type=user_deactivated');
    expect(eight.items.map((entry) => entry.actor?.name)).toEqual(['Crowd Member 8']);

    // The admin sessions list searches people the same two ways: members 7 and 8 sign in (they
    // have Sam's password), and only their sessions are found, whether the search names the
    // 1,001 people by a subquery or the few by id.
    const signedIn: string[] = [];
    for (const n of [7, 8]) {
      const login = await loginRequest(app, {
        email: `crowd${String(n)}@example.com`,
        password: sam.password,
        app: 'bartender',
      });
      expect(login.status).toBe(200);
      signedIn.push((login.body as { session: { id: string } }).session.id);
    }
    const sessions = async (q: string) => {
      const response = await request(url(`/admin/sessions?q=${q}`), {
        headers: bearer(admin.accessToken),
      });
      expect(response.status).toBe(200);
      const body = response.body as { items: { id: string; user: { name: string } }[] };
      return { ...body, ids: body.items.map((item) => item.id).sort() };
    };
    const crowdSessions = await sessions('crowd%20member');
    expect(crowdSessions.ids).toEqual([...signedIn].sort());
    expect(crowdSessions).toMatchObject({ total: 2, totalIsEstimate: false });
    const sevenSessions = await sessions('crowd%20member%207');
    expect(sevenSessions.items.map((item) => [item.id, item.user.name])).toEqual([
      [signedIn[0], 'Crowd Member 7'],
    ]);
  });

  it('takes several types at once and a time range, and refuses bad ones', async () => {
    await loginRequest(app, {
      email: sam.email,
      password: 'wrong password here',
      app: 'bartender',
    });
    await loginRequest(app, { email: sam.email, password: sam.password, app: 'bartender' });
    const signIns = await audit(`userId=${sam.id}&type=login_succeeded,login_failed`);
    expect(new Set(signIns.items.map((item) => item.type))).toEqual(
      new Set(['login_succeeded', 'login_failed']),
    );
    const newest = signIns.items[0] as AuditItem & { at: string };
    const at = Date.parse(newest.at);
    const justThat = await audit(
      `userId=${sam.id}&from=${new Date(at).toISOString()}&to=${new Date(at + 1).toISOString()}`,
    );
    expect(justThat.items.map((item) => item.id)).toContain(newest.id);
    expect(
      justThat.items.every((item) => Date.parse((item as AuditItem & { at: string }).at) === at),
    ).toBe(true);
    expect(
      (await audit(`userId=${sam.id}&to=${new Date(at - 60_000).toISOString()}`)).items,
    ).not.toContainEqual(expect.objectContaining({ id: newest.id }));
    for (const bad of ['type=login_succeeded,nope', 'from=yesterday', 'to=2026-W49']) {
      const response = await request(url(`/admin/audit?${bad}`), {
        headers: bearer(admin.accessToken),
      });
      expectErrorBody(response, 400, 'VALIDATION_FAILED');
    }
  });

  it('finds a name however its accents were typed (composed or combining)', async () => {
    // "Zoë Wäller" with combining marks, as some keyboards and pasted text send it.
    const combining = 'Zoe\u0308 Wa\u0308ller';
    const email = `zoe.${String(Date.now())}@example.com`;
    const registered = await request(url('/auth/register'), {
      method: 'POST',
      json: { email, password: 'a long enough password 1', name: combining },
    });
    expect(registered.status).toBe(201);
    const { user } = registered.body as { user: { id: string; name: string } };
    // Stored composed: the same text as one key per letter.
    expect(user.name).toBe('Zoë Wäller');
    expect(user.name).not.toBe(combining);
    for (const q of ['W\u00e4ller', 'Wa\u0308ller']) {
      const found = await request(url(`/admin/users?q=${encodeURIComponent(q)}`), {
        headers: bearer(admin.accessToken),
      });
      expect(found.status).toBe(200);
      expect((found.body as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([
        user.id,
      ]);
    }
  });

  it('takes q on the admin sessions list too, and refuses an overlong q', async () => {
    const sessions = await request(url('/admin/sessions?q=sam%20LEE'), {
      headers: bearer(admin.accessToken),
    });
    expect(sessions.status).toBe(200);
    const items = (sessions.body as { items: { user: { id: string } }[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((session) => session.user.id === sam.id)).toBe(true);
    const none = await request(url('/admin/sessions?q=no-such-person'), {
      headers: bearer(admin.accessToken),
    });
    expect((none.body as { total: number }).total).toBe(0);
    for (const path of ['/admin/sessions', '/admin/audit']) {
      const response = await request(url(`${path}?q=${'x'.repeat(101)}`), {
        headers: bearer(admin.accessToken),
      });
      expectErrorBody(response, 400, 'VALIDATION_FAILED');
    }
  });

  it('names no one, rather than failing, for an actor that is not an account id', async () => {
    const [row] = await app.sql<{ id: string }>(
      `INSERT INTO audit_events (id, type, user_id, details)
       VALUES (gen_random_uuid(), 'session_revoked', $1, '{"reason":"admin","actorId":"system"}')
       RETURNING id`,
      [sam.id],
    );
    const { items } = await audit(`userId=${sam.id}&type=session_revoked`);
    expect(items.find((entry) => entry.id === row?.id)).toMatchObject({
      user: { id: sam.id },
      actor: null,
      summary: 'Someone ended a session of Sam Lee',
    });
    expect((await audit('q=Sam%20Lee')).total).toBeGreaterThan(0);
  });
});
