/**
 * A year of a busy bar in PostgreSQL, for measuring lists and reports at a realistic size. At
 * scale 1 (`BENCH_YEAR_SCALE`, default 1): 100,000 customers, 1,000,000 orders over the last 365
 * days with their lines, history and payments, 5,000,000 audit entries and 2,000,000 sessions;
 * every count scales with it (0.01 and 0.1 give the 10k and 100k orders of the growth curve),
 * except the few hundred staff and guests, the menu and the ~60 open tickets of today.
 *
 *   npm run bench -- seed-year
 *   BENCH_YEAR_SCALE=0.1 npm run bench -- seed-year
 *
 * The schema (`bench_year_<scale>`, e.g. `bench_year_1`, `bench_year_0_01`) is created by the
 * app's own migrations (a bench server started on it, then stopped), then filled with set-based
 * SQL (`INSERT … SELECT generate_series`), never over HTTP. It is kept afterwards, with a marker
 * row (`bench_year_seed`) saying the scale and when it was filled: seeding is skipped when the
 * marker is there (`BENCH_RESEED=1` drops the schema and fills it again). `lists` measures on it.
 *
 * What it looks like:
 * - orders: per day more on Fridays and Saturdays than early in the week, over an evening curve
 *   (14:00–24:00, busiest about 19:00), numbered per business day in the order placed; 93 %
 *   completed and 7 % cancelled, and today's last ~60 still open (pending to ready). 1–4 lines
 *   from a menu of 48 items (bar and kitchen, VAT 20 % or 10 %), some with options; one history
 *   row per status step, by the customer and then a bartender; a payment (card, cash or other,
 *   tips on a third of card payments) for every completed order, refunds on 1 % of them and on
 *   the cancelled orders that had been paid.
 * - customers with names and emails (2 % long ones), ~1 % deactivated; 5 admins, 25 bartenders,
 *   300 guests. Customer 0 is a regular with a few thousand orders at scale 1.
 * - sessions: mostly ended (signed out, evicted, expired, revoked by password changes…), the
 *   recent few percent still active.
 * - audit entries of the real event types with the details the app writes (sign-ins, failed
 *   sign-ins, sessions ended, order moves, cancels, payments, refunds, menu and account changes).
 * - order idempotency keys for the last two days' orders and event log entries for the last day,
 *   as the retention jobs find them.
 *
 * Three accounts sign in with `YEAR_PASSWORD`: see {@link YEAR_ACCOUNTS}.
 *
 * Speed: secondary indexes of the filled tables are dropped first and built again after the
 * fill, and foreign keys are not checked row by row (`session_replication_role = replica`; the
 * generator writes consistent rows). ANALYZE runs at the end. Prints rows, seconds and rows/s per
 * table.
 *
 * Environment: BENCH_YEAR_SCALE (default 1), BENCH_RESEED=1 (fill again), BENCH_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test).
 */
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import { startBenchServer } from './bench-server.js';

export const YEAR_PASSWORD = 'bench-year-password-2026';

/** The accounts a benchmark signs in with (password {@link YEAR_PASSWORD}). */
export const YEAR_ACCOUNTS = {
  admin: 'admin0@staff.taproom.example',
  bartender: 'bartender5@staff.taproom.example',
  /** Customer 0, the most frequent regular. */
  customer: 'regular0@customers.taproom.example',
} as const;

const MARKER_TABLE = 'bench_year_seed';
const ADMINS = 5;
const BARTENDERS = 25;
const GUESTS = 300;
const OPEN_TICKETS = 60;
/** Orders of today, the last {@link OPEN_TICKETS} of them still open. */
const TODAY_ORDERS = 240;

/** The counts at scale 1. */
const FULL = {
  customers: 100_000,
  orders: 1_000_000,
  audit: 5_000_000,
  sessions: 2_000_000,
};

export interface SeededYear {
  schema: string;
  scale: number;
  orders: number;
  /** False when the schema was already filled at this scale and kept. */
  filled: boolean;
  seconds: number;
}

export function yearScaleFromEnv(): number {
  const scale = Number(process.env.BENCH_YEAR_SCALE ?? 1);
  if (!(scale > 0 && scale <= 10)) throw new Error(`BENCH_YEAR_SCALE must be in (0, 10]`);
  return scale;
}

/** `bench_year_1`, `bench_year_0_1`, `bench_year_0_01`. */
export function yearSchema(scale: number): string {
  return `bench_year_${String(scale).replace('.', '_')}`;
}

const counts = (scale: number): typeof FULL => ({
  customers: Math.max(100, Math.round(FULL.customers * scale)),
  orders: Math.max(1_000, Math.round(FULL.orders * scale)),
  audit: Math.max(5_000, Math.round(FULL.audit * scale)),
  sessions: Math.max(2_000, Math.round(FULL.sessions * scale)),
});

type Client = pg.Client;

/**
 * Makes sure `yearSchema(scale)` holds a year at `scale`: fills it unless a marker of a complete
 * fill at that scale is there (or `reseed`).
 */
export async function seedYear(url: string, scale: number, reseed: boolean): Promise<SeededYear> {
  const schema = yearSchema(scale);
  const n = counts(scale);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const marker = await readMarker(client, schema);
    if (marker !== undefined && marker === scale && !reseed) {
      say(`${schema}: already filled at scale ${scale}, kept (BENCH_RESEED=1 fills it again)`);
      return { schema, scale, orders: n.orders, filled: false, seconds: 0 };
    }
    const started = performance.now();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}`);
    await timed('migrations', async () => {
      await migrate(url, schema);
      return 0;
    });
    await fill(client, schema, n);
    await client.query(
      `CREATE TABLE ${MARKER_TABLE} (scale numeric NOT NULL, orders integer NOT NULL,
                                     seconds numeric NOT NULL, seeded_at timestamptz NOT NULL)`,
    );
    const seconds = (performance.now() - started) / 1000;
    await client.query(`INSERT INTO ${MARKER_TABLE} VALUES ($1, $2, $3, now())`, [
      scale,
      n.orders,
      seconds,
    ]);
    say(`${schema}: filled at scale ${scale} in ${seconds.toFixed(1)} s`);
    return { schema, scale, orders: n.orders, filled: true, seconds };
  } finally {
    await client.end();
  }
}

async function readMarker(client: Client, schema: string): Promise<number | undefined> {
  const found = await client.query<{ scale: string }>(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
    [schema, MARKER_TABLE],
  );
  if (found.rowCount === 0) return undefined;
  const rows = await client.query<{ scale: string }>(`SELECT scale FROM ${schema}.${MARKER_TABLE}`);
  return rows.rows[0] === undefined ? undefined : Number(rows.rows[0].scale);
}

/** The app's own migrations: a bench server started on the schema, then stopped. */
async function migrate(url: string, schema: string): Promise<void> {
  const previous = process.env.BENCH_SCHEMA;
  process.env.BENCH_SCHEMA = schema;
  try {
    const { stop } = await startBenchServer(url);
    await stop();
  } finally {
    process.env.BENCH_SCHEMA = previous;
  }
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs one step and prints its rows, seconds and rows/s. */
async function timed(name: string, step: () => Promise<number>): Promise<void> {
  const started = performance.now();
  const rows = await step();
  const seconds = (performance.now() - started) / 1000;
  say(
    `  ${name.padEnd(28)} ${String(rows).padStart(10)} rows ${seconds.toFixed(1).padStart(7)} s` +
      (rows > 0 ? ` ${String(Math.round(rows / seconds)).padStart(9)} rows/s` : ''),
  );
}

const TABLES = [
  'users',
  'menu_items',
  'orders',
  'order_items',
  'order_history',
  'order_payments',
  'order_idempotency_keys',
  'sessions',
  'audit_events',
  'event_log',
];

async function fill(client: Client, schema: string, n: typeof FULL): Promise<void> {
  await client.query(`SET search_path TO ${schema}`);
  // The generator writes consistent rows; checking every foreign key row by row would double
  // the fill time. Superuser only (the machine's PostgreSQL is trust/postgres).
  await client.query(`SET session_replication_role = replica`);
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`SET work_mem = '128MB'`);
  // Indexes are built once after the fill, much faster than kept up row by row.
  const indexes = await client.query<{ indexdef: string; indexname: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = $1 AND i.tablename = ANY($2)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                         WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
    [schema, TABLES],
  );
  for (const index of indexes.rows) await client.query(`DROP INDEX ${index.indexname}`);

  const passwordHash = await hash(YEAR_PASSWORD);
  await timed('users', () => fillUsers(client, n, passwordHash));
  await timed('menu_items', () => fillMenu(client));
  await timed('(staging: orders)', () => stageOrders(client, n));
  await timed('order_items', () => fillOrderItems(client));
  await timed('orders', () => fillOrders(client));
  await timed('order_history', () => fillHistory(client));
  await timed('order_payments', () => fillPayments(client));
  await timed('order_idempotency_keys', () => fillIdempotencyKeys(client));
  await timed('sessions', () => fillSessions(client, n));
  await timed('audit_events', () => fillAudit(client, n));
  await timed('event_log', () => fillEventLog(client));
  await client.query(`DROP TABLE seed_orders, seed_lines, seed_menu, seed_days`);
  await timed(`indexes (${indexes.rowCount} rebuilt)`, async () => {
    for (const index of indexes.rows) await client.query(index.indexdef);
    return 0;
  });
  await client.query(`SET session_replication_role = DEFAULT`);
  await timed('ANALYZE', async () => {
    await client.query('ANALYZE');
    return 0;
  });
}

/**
 * Deterministic ids, so rows can name each other without a join; shaped as version 4 (the API
 * validates ids it is given as such).
 */
const uuidOf = (kind: string, key: string): string =>
  `overlay(overlay(md5('${kind}-' || ${key}) placing '4' from 13) placing '8' from 17)::uuid`;

const FIRST_NAMES = `ARRAY['Sam','Alex','Maria','Jonas','Lea','Noah','Mia','Elias','Emma','Paul','Sofia','Luca',
  'Hannah','Ben','Lina','Finn','Clara','Leon','Ida','Jakob','Nora','Oskar','Marie','Theo','Anna',
  'Karim','Aylin','Mateo','Zoe','Rafael','Yuki','Chloe','Omar','Ines','Tobias','Greta','Milan',
  'Amelie','Ivan','Selin']`;
const LAST_NAMES = `ARRAY['Lee','Müller','Schmidt','Garcia','Nowak','Rossi','Jensen','Dubois','Silva','Kaya',
  'Novak','Meyer','Weber','Fischer','Costa','Martin','Becker','Horvat','Yilmaz','Schulz','Ward',
  'Hoffmann','Kowalski','Bauer','Richter','Klein','Wolf','Neumann','Schwarz','Zimmermann','Braun',
  'Krüger','Hofmann','Hartmann','Lange','Schmitt','Werner','Krause','Lehmann','Köhler',
  'Vasquez-Montgomery-Featherstonehaugh']`;

/** Customer `k`'s name (SQL expression). */
const customerName = (k: string): string =>
  `(${FIRST_NAMES})[1 + (${k}) % 40] || ' ' || (${LAST_NAMES})[1 + ((${k}) / 40) % 41]`;

const staffName = (k: string): string =>
  `(${FIRST_NAMES})[1 + (${k} * 7) % 40] || ' ' || (${LAST_NAMES})[1 + (${k} * 3) % 40] || ' (staff)'`;

async function fillUsers(client: Client, n: typeof FULL, passwordHash: string): Promise<number> {
  // Not a usable hash: only the three bench accounts sign in.
  const dummy = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2gteWVhci1zYWx0$' + 'A'.repeat(43);
  const customers = await client.query(
    `INSERT INTO users (id, email, email_canonical, name, role, password_hash, active,
                        created_at, updated_at)
     SELECT ${uuidOf('customer', 'k')}, e.email, lower(e.email), ${customerName('k')}
              || CASE WHEN k % 50 = 7 THEN ' von und zu Hohenzollern-Sigmaringen der Dritte' ELSE '' END,
            'customer', CASE WHEN k = 0 THEN $2 ELSE $3 END, k % 97 <> 13, t.at, t.at
       FROM generate_series(0, $1::int - 1) AS k,
            LATERAL (SELECT CASE WHEN k = 0 THEN '${YEAR_ACCOUNTS.customer}'
                                 WHEN k % 50 = 7
                                 THEN 'a.very.long.address.of.customer.number.' || k
                                      || '.who.likes.long.names@subdomain.mail.example-provider.com'
                                 ELSE lower(translate((${FIRST_NAMES})[1 + k % 40], 'äöü', 'aou'))
                                      || '.' || lower(translate((${LAST_NAMES})[1 + (k / 40) % 41], 'äöü', 'aou'))
                                      || k || '@customers.taproom.example' END AS email) AS e,
            LATERAL (SELECT now() - interval '400 days' * (1 - k::float8 / $1) AS at) AS t`,
    [n.customers, passwordHash, dummy],
  );
  const staff = await client.query(
    `INSERT INTO users (id, email, email_canonical, name, role, password_hash, created_at, updated_at)
     SELECT ${uuidOf('staff', 'k')}, r.role || k || '@staff.taproom.example',
            r.role || k || '@staff.taproom.example', ${staffName('k')}, r.role,
            CASE WHEN k IN (0, 5) THEN $2 ELSE $3 END,
            now() - interval '500 days', now() - interval '500 days'
       FROM generate_series(0, $1::int - 1) AS k,
            LATERAL (SELECT CASE WHEN k < ${ADMINS} THEN 'admin' ELSE 'bartender' END AS role) AS r`,
    [ADMINS + BARTENDERS, passwordHash, dummy],
  );
  const guests = await client.query(
    `INSERT INTO users (id, name, role, table_number, created_at, updated_at)
     SELECT ${uuidOf('guest', 'k')}, 'Guest at table ' || (1 + k % 40), 'guest', 1 + k % 40,
            now() - interval '365 days' * (1 - k::float8 / $1), now() - interval '365 days' * (1 - k::float8 / $1)
       FROM generate_series(0, $1::int - 1) AS k`,
    [GUESTS],
  );
  return (customers.rowCount ?? 0) + (staff.rowCount ?? 0) + (guests.rowCount ?? 0);
}

async function fillMenu(client: Client): Promise<number> {
  // 48 items: k < 30 drinks at the bar (20 % VAT), the rest food from the kitchen (10 %); every
  // fourth item has a size option group.
  await client.query(
    `CREATE UNLOGGED TABLE seed_menu AS
     SELECT k, ${uuidOf('menu', 'k')} AS id,
            (ARRAY['Pilsner','Pale Ale','IPA','Stout','Weizen','Lager','Cider','Red Wine','White Wine',
                   'Rosé','Spritz','Gin Tonic','Negroni','Mojito','Espresso','Cola','Lemonade',
                   'Water','Apple Juice','Porter'])[1 + k % 20] AS drink,
            (ARRAY['Nachos, large','Fries','Burger','Veggie Burger','Wings','Pretzel','Salad',
                   'Flatbread','Cheese Board','Soup'])[1 + k % 10] AS food,
            CASE WHEN k < 30 THEN 'bar' ELSE 'kitchen' END AS station,
            CASE WHEN k < 30 THEN 2000 ELSE 1000 END AS vat,
            CASE WHEN k < 30 THEN 350 + (k * 37) % 600 ELSE 650 + (k * 53) % 1200 END AS price,
            k % 4 = 0 AS has_options,
            ${uuidOf('option-group', 'k')} AS group_id,
            ${uuidOf('option', 'k')} AS option_id
       FROM generate_series(0, 47) AS k`,
  );
  const menu = await client.query(
    `INSERT INTO menu_items (id, name, category, price_cents, station, vat_rate_basis_points,
                             option_groups, sort_order, stock, created_at, updated_at)
     SELECT id, CASE WHEN k < 30 THEN drink || CASE WHEN k >= 20 THEN ' (house)' ELSE '' END
                     ELSE food || CASE WHEN k >= 40 THEN ' (special)' ELSE '' END END,
            CASE WHEN k < 30 THEN 'Drinks' ELSE 'Food' END, price, station, vat,
            CASE WHEN has_options THEN jsonb_build_array(jsonb_build_object(
              'id', group_id, 'name', 'Size', 'min', 0, 'max', 1,
              'options', jsonb_build_array(jsonb_build_object(
                'id', option_id, 'name', 'Large', 'priceDeltaCents', 150, 'available', true))))
            ELSE '[]'::jsonb END,
            k, CASE WHEN k % 7 = 3 THEN 40 END, now() - interval '500 days', now() - interval '3 days'
       FROM seed_menu`,
  );
  return menu.rowCount ?? 0;
}

/**
 * `seed_orders`: one row per order with everything its rows need, in the order placed. Days
 * get orders by weekday weight (and a mild season), times follow an evening curve: the i-th of
 * n orders of a day at 14:00 + 9h50 · acos(1 − 2u)/π, u = (i + ½)/n, which is dense in the
 * middle (about 19:00) and sparse at the ends, and increasing in i so numbers follow time.
 */
async function stageOrders(client: Client, n: typeof FULL): Promise<number> {
  const past = n.orders - TODAY_ORDERS;
  await client.query(
    `CREATE UNLOGGED TABLE seed_days AS
     WITH d AS (
       SELECT d, current_date - 364 + d AS day,
              (CASE extract(isodow FROM current_date - 364 + d)
                 WHEN 1 THEN 0.6 WHEN 2 THEN 0.8 WHEN 3 THEN 0.9 WHEN 4 THEN 1.1
                 WHEN 5 THEN 1.7 WHEN 6 THEN 1.9 ELSE 1.0 END)
              * (1 + 0.2 * sin(2 * pi() * d / 365.0)) AS weight
         FROM generate_series(0, 363) AS d
     ), sized AS (
       SELECT d, day, greatest(1, round($1::int * weight / sum(weight) OVER ()))::int AS n FROM d
     )
     SELECT d, day, n, false AS today,
            (sum(n) OVER (ORDER BY d) - n)::int AS first_g FROM sized
     UNION ALL
     SELECT 364, current_date, $2::int, true,
            (SELECT sum(n)::int FROM sized)`,
    [past, TODAY_ORDERS],
  );
  const staged = await client.query(
    `CREATE UNLOGGED TABLE seed_orders AS
     SELECT x.g, ${uuidOf('order', 'x.g')} AS id, s.day, i + 1 AS number, x.at AS created_at,
            CASE WHEN s.today AND i >= s.n - ${OPEN_TICKETS}
                 THEN (ARRAY['pending','accepted','preparing','ready'])[1 + (i % 4)]
                 WHEN r.status < 0.07 THEN 'cancelled' ELSE 'completed' END AS status,
            r.guest, CASE WHEN r.guest THEN floor(r.who * ${GUESTS})::int
                          ELSE floor($1::int * r.who * r.who)::int END AS k,
            (ARRAY[1,1,1,2,2,2,2,3,3,4])[1 + floor(r.lines * 10)::int] AS lines,
            ${ADMINS} + floor(r.staff * ${BARTENDERS})::int AS bartender,
            r.note, r.pay, r.tip, r.refund
       FROM seed_days AS s,
            generate_series(0, s.n - 1) AS i,
            LATERAL (SELECT s.first_g + i AS g,
                            CASE WHEN s.today THEN now() - (s.n - i) * interval '45 seconds'
                                 ELSE s.day + interval '14 hours'
                                      + acos(1 - 2 * (i + 0.5) / s.n) / pi() * interval '9 hours 50 minutes'
                            END AS at) AS x,
            -- Referring to i makes the planner draw new numbers for every order.
            LATERAL (SELECT random() AS status, random() < 0.12 AS guest, random() AS who,
                            random() AS lines, random() AS staff, random() AS note,
                            random() AS pay, random() AS tip, random() AS refund,
                            i AS pin) AS r`,
    [n.customers],
  );
  return staged.rowCount ?? 0;
}

async function fillOrderItems(client: Client): Promise<number> {
  await client.query(
    `CREATE UNLOGGED TABLE seed_lines AS
     SELECT o.g, o.id AS order_id, l AS line_no, m.id AS menu_item_id,
            CASE WHEN m.k < 30 THEN m.drink || CASE WHEN m.k >= 20 THEN ' (house)' ELSE '' END
                 ELSE m.food || CASE WHEN m.k >= 40 THEN ' (special)' ELSE '' END END AS name,
            m.price + CASE WHEN x.options THEN 150 ELSE 0 END AS unit_price_cents,
            1 + (x.r < 0.25)::int + (x.r < 0.05)::int AS quantity,
            CASE WHEN x.r > 0.97 THEN (ARRAY['no ice','extra salsa, "hot" please','gluten free bun',
                                             'for the birthday table, bring it with a candle'])[1 + (o.g % 4)::int] END AS note,
            m.station, m.vat,
            CASE WHEN x.options THEN jsonb_build_array(jsonb_build_object(
                   'id', m.option_id, 'groupName', 'Size', 'name', 'Large', 'priceDeltaCents', 150))
                 ELSE '[]'::jsonb END AS options
       FROM seed_orders AS o,
            generate_series(1, o.lines) AS l,
            LATERAL (SELECT random() AS r, random() AS pick, l AS pin) AS x0,
            LATERAL (SELECT x0.r, x0.pick) AS x1,
            seed_menu AS m,
            LATERAL (SELECT x1.r, m.has_options AND x1.pick < 0.5 AS options) AS x
      WHERE m.k = (o.g * 31 + l * 17) % 48`,
  );
  const lines = await client.query(
    `INSERT INTO order_items (order_id, line_no, menu_item_id, name, unit_price_cents, quantity,
                              note, stock_taken, station, options, vat_rate_basis_points)
     SELECT order_id, line_no, menu_item_id, name, unit_price_cents, quantity, note, 0, station,
            options, vat
       FROM seed_lines ORDER BY g, line_no`,
  );
  return lines.rowCount ?? 0;
}

/** Customer or guest `k` of a staged order: id and name (SQL expressions over `o`). */
const ORDER_CUSTOMER_ID = `CASE WHEN o.guest THEN ${uuidOf('guest', 'o.k')} ELSE ${uuidOf('customer', 'o.k')} END`;
const ORDER_CUSTOMER_NAME = `CASE WHEN o.guest THEN 'Guest at table ' || (1 + o.k % 40) ELSE ${customerName('o.k')} END`;

/** Minutes after placing at which the order reached step 2, 3, 4, 5 (accepted … completed). */
const STEP_MINUTES = `ARRAY[0, 1 + o.g % 3, 3 + o.g % 4, 8 + o.g % 9, 14 + o.g % 15]`;
const STEPS = `ARRAY['pending','accepted','preparing','ready','completed']`;

/** How many history rows a staged order has. */
const STEP_COUNT = `CASE o.status WHEN 'pending' THEN 1 WHEN 'accepted' THEN 2 WHEN 'preparing' THEN 3
                                  WHEN 'ready' THEN 4 WHEN 'completed' THEN 5
                                  ELSE 1 + (o.g % 3 = 0)::int + 1 END`;

async function fillOrders(client: Client): Promise<number> {
  const orders = await client.query(
    `INSERT INTO orders (id, number, business_day, customer_id, customer_name, status, total_cents,
                         table_number, note, assignee_id, assignee_name, cancel_reason, version,
                         created_at, updated_at)
     SELECT o.id, o.number, o.day, ${ORDER_CUSTOMER_ID}, ${ORDER_CUSTOMER_NAME}, o.status, t.total,
            CASE WHEN o.guest THEN 1 + o.k % 40 WHEN o.g % 5 < 2 THEN 1 + o.g % 40 END,
            CASE WHEN o.note < 0.05 THEN 'by the window, please'
                 WHEN o.note < 0.06 THEN 'Birthday! Could the last round come with sparklers, "as discussed" with Sam earlier; thanks'
            END,
            CASE WHEN o.status <> 'pending' AND NOT (o.status = 'cancelled' AND o.g % 3 <> 0)
                 THEN ${uuidOf('staff', 'o.bartender')} END,
            CASE WHEN o.status <> 'pending' AND NOT (o.status = 'cancelled' AND o.g % 3 <> 0)
                 THEN ${staffName('o.bartender')} END,
            CASE WHEN o.status = 'cancelled' THEN (ARRAY['Out of stock','Customer left',
                 'Ordered twice by mistake'])[1 + o.g % 3] END,
            ${STEP_COUNT},
            o.created_at,
            o.created_at + (${STEP_MINUTES})[${STEP_COUNT}] * interval '1 minute'
       FROM seed_orders AS o
       JOIN (SELECT g, sum(unit_price_cents * quantity)::int AS total FROM seed_lines GROUP BY g) AS t
         USING (g)
      ORDER BY o.g`,
  );
  return orders.rowCount ?? 0;
}

async function fillHistory(client: Client): Promise<number> {
  const history = await client.query(
    `INSERT INTO order_history (order_id, seq, status, at, by_user_id, by_name, by_role)
     SELECT o.id, s,
            CASE WHEN o.status = 'cancelled' AND s = ${STEP_COUNT} THEN 'cancelled' ELSE (${STEPS})[s] END,
            o.created_at + (${STEP_MINUTES})[s] * interval '1 minute',
            CASE WHEN s = 1 THEN ${ORDER_CUSTOMER_ID} ELSE ${uuidOf('staff', 'o.bartender')} END,
            CASE WHEN s = 1 THEN ${ORDER_CUSTOMER_NAME} ELSE ${staffName('o.bartender')} END,
            CASE WHEN s > 1 THEN 'bartender' WHEN o.guest THEN 'guest' ELSE 'customer' END
       FROM seed_orders AS o, generate_series(1, ${STEP_COUNT}) AS s`,
  );
  return history.rowCount ?? 0;
}

async function fillPayments(client: Client): Promise<number> {
  // Completed orders are paid in full when they complete; a third of card payments tip ~10 %.
  // 1 % of completed orders get part refunded; a tenth of cancelled ones had been paid and are
  // refunded in full.
  const payments = await client.query(
    `WITH paid AS (
       SELECT o.g, o.id, o.status, o.bartender, o.refund, t.total,
              o.created_at + (${STEP_MINUTES})[${STEP_COUNT}] * interval '1 minute' AS closed_at,
              CASE WHEN o.pay < 0.65 THEN 'card' WHEN o.pay < 0.95 THEN 'cash' ELSE 'other' END AS method,
              CASE WHEN o.pay < 0.65 AND o.tip < 0.33 THEN 50 * round(t.total * 0.1 / 50) ELSE 0 END AS tip
         FROM seed_orders AS o
         JOIN (SELECT g, sum(unit_price_cents * quantity)::int AS total FROM seed_lines GROUP BY g) AS t
           USING (g)
        WHERE o.status = 'completed' OR (o.status = 'cancelled' AND o.refund < 0.1)
     )
     INSERT INTO order_payments (id, order_id, kind, method, amount_cents, tip_cents, reason,
                                 by_user_id, by_name, by_role, at)
     SELECT gen_random_uuid(), p.id, e.kind, p.method, e.amount, e.tip, e.reason,
            ${uuidOf('staff', 'p.bartender')}, ${staffName('p.bartender')}, 'bartender', e.at
       FROM paid AS p,
            LATERAL (
              SELECT 'payment' AS kind, p.total AS amount, p.tip::int AS tip, NULL AS reason,
                     p.closed_at - interval '1 minute' AS at, 1 AS step
              UNION ALL
              SELECT 'refund', CASE WHEN p.status = 'cancelled' THEN p.total
                                    ELSE greatest(1, p.total / 3) END, 0,
                     CASE WHEN p.status = 'cancelled' THEN 'Order cancelled after payment'
                          ELSE 'Spilled drink, replaced' END,
                     p.closed_at + interval '5 minutes', 2
               WHERE p.status = 'cancelled' OR p.refund < 0.01
            ) AS e
      ORDER BY e.at, p.g, e.step`,
  );
  return payments.rowCount ?? 0;
}

async function fillIdempotencyKeys(client: Client): Promise<number> {
  // What the hourly cleanup finds if it has not run for two days: keys of the last two days.
  const keys = await client.query(
    `INSERT INTO order_idempotency_keys (user_id, key, request_hash, order_id, response, created_at)
     SELECT ${ORDER_CUSTOMER_ID}, 'key-' || o.g, md5(o.g::text), o.id,
            jsonb_build_object('id', o.id, 'number', o.number, 'status', 'pending'), o.created_at
       FROM seed_orders AS o
      WHERE o.created_at > now() - interval '2 days'`,
  );
  return keys.rowCount ?? 0;
}

const USER_AGENTS = `ARRAY[
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1']`;
const DEVICES = `ARRAY['Safari on iPhone','Chrome on Android','Chrome on Windows','Safari on macOS','Safari on iPad']`;

async function fillSessions(client: Client, n: typeof FULL): Promise<number> {
  // Placed over the year in order; those of the last 30 days may still be active (a quarter of
  // them are), every older one has ended: signed out, evicted, revoked, or simply expired.
  const sessions = await client.query(
    `INSERT INTO sessions (id, user_id, app, role, generation, salt, rotated_at, user_agent, device,
                           ip, created_at, last_active_at, idle_expires_at, expires_at, revoked_at,
                           revoked_reason, remember)
     SELECT ${uuidOf('session', 'g')}, u.id, u.app, u.role, floor(r.gen * 40)::int,
            decode(md5('salt-' || g), 'hex'),
            CASE WHEN r.gen > 0.02 THEN t.last_active END,
            (${USER_AGENTS})[1 + g % 5], (${DEVICES})[1 + g % 5],
            CASE WHEN g % 3 = 0 THEN '2001:db8:' || to_hex(g % 65536) || '::1'
                 ELSE '198.51.100.' || (g % 250) END,
            t.created, t.last_active, t.last_active + interval '7 days',
            t.created + CASE WHEN u.role = 'customer' THEN interval '30 days' ELSE interval '12 hours' END,
            CASE WHEN e.reason IS NOT NULL THEN t.last_active END, e.reason, r.remember > 0.2
       FROM generate_series(0, $1::int - 1) AS g,
            LATERAL (SELECT random() AS who, random() AS gen, random() AS ends, random() AS remember,
                            random() AS active, g AS pin) AS r,
            LATERAL (SELECT CASE WHEN r.who < 0.93 THEN ${uuidOf('customer', `floor($2::int * r.who / 0.93 * r.who / 0.93)::int`)}
                                 WHEN r.who < 0.99 THEN ${uuidOf('staff', `floor(${ADMINS + BARTENDERS} * (r.who - 0.93) / 0.06)::int`)}
                                 ELSE ${uuidOf('guest', `floor(${GUESTS} * (r.who - 0.99) / 0.01)::int`)} END AS id,
                            CASE WHEN r.who < 0.93 THEN 'customer' WHEN r.who < 0.99 THEN
                                   CASE WHEN floor(${ADMINS + BARTENDERS} * (r.who - 0.93) / 0.06) < ${ADMINS}
                                        THEN 'admin' ELSE 'bartender' END
                                 ELSE 'guest' END AS role) AS w,
            LATERAL (SELECT w.id, w.role,
                            CASE w.role WHEN 'admin' THEN 'admin' WHEN 'bartender' THEN 'bartender'
                                        ELSE 'customer' END AS app) AS u,
            LATERAL (SELECT now() - interval '365 days' * (1 - g::float8 / $1) AS created) AS c,
            -- Active: a quarter of those still within their lifetime (30 days for customers, 12
            -- hours for staff), last used within two days, so no job finds them overdue.
            LATERAL (SELECT c.created > now() - CASE WHEN u.role = 'customer'
                                                     THEN interval '30 days' ELSE interval '12 hours' END
                              AND r.active < 0.25 AS active) AS a,
            LATERAL (SELECT c.created,
                            CASE WHEN a.active THEN greatest(c.created, now() - r.ends * interval '2 days')
                                 ELSE least(now(), c.created + r.ends * interval '10 days') END AS last_active) AS t,
            LATERAL (SELECT CASE
                              WHEN a.active THEN NULL
                              WHEN r.ends < 0.45 THEN 'logout'
                              WHEN r.ends < 0.60 THEN 'evicted'
                              WHEN r.ends < 0.90 THEN 'expired'
                              WHEN r.ends < 0.94 THEN 'logout_all'
                              WHEN r.ends < 0.97 THEN 'password_changed'
                              WHEN r.ends < 0.98 THEN 'admin'
                              WHEN r.ends < 0.99 THEN 'password_reset'
                              ELSE 'role_changed' END AS reason) AS e`,
    [n.sessions, n.customers],
  );
  return sessions.rowCount ?? 0;
}

/**
 * Audit entries over the year in time order (so `seq` follows `at`, as in life), types by share:
 * sign-ins 30 %, failed sign-ins 4 %, sessions ended 10 %, order moves 36 %, cancels 2 %,
 * payments 14 %, refunds 0.5 %, then registrations, stock, menu and account changes.
 */
async function fillAudit(client: Client, n: typeof FULL): Promise<number> {
  const audit = await client.query(
    `INSERT INTO audit_events (id, type, at, user_id, session_id, ip, details)
     SELECT gen_random_uuid(), t.type, a.at,
            CASE WHEN t.staff THEN ${uuidOf('staff', 'a.bartender')}
                 WHEN t.type IN ('login_failed', 'login_rate_limited') AND a.r2 < 0.3 THEN NULL
                 WHEN t.type = 'menu_item_updated' OR t.type = 'stock_changed'
                   OR t.type = 'menu_availability_changed' THEN ${uuidOf('staff', 'a.g % ' + String(ADMINS))}
                 ELSE ${uuidOf('customer', 'a.customer')} END,
            CASE WHEN t.type IN ('login_failed', 'login_rate_limited', 'user_created',
                                 'password_reset_requested') THEN NULL
                 ELSE ${uuidOf('session', 'a.g % ' + String(n.sessions))} END,
            CASE WHEN a.g % 3 = 0 THEN '2001:db8:' || to_hex(a.g % 65536) || '::1'
                 ELSE '198.51.100.' || (a.g % 250) END,
            CASE t.type
              WHEN 'login_succeeded' THEN jsonb_build_object('app', 'customer',
                   'device', (${DEVICES})[1 + a.g % 5], 'evicted', '[]'::jsonb)
              WHEN 'login_failed' THEN jsonb_build_object('app', 'customer',
                   'email', CASE WHEN a.r2 < 0.3 THEN 'nobody' || a.g % 1000 || '@mail.example'
                                 ELSE lower(translate((${FIRST_NAMES})[1 + a.customer % 40], 'äöü', 'aou'))
                                      || '.' || a.customer || '@customers.taproom.example' END,
                   'device', (${DEVICES})[1 + a.g % 5])
              WHEN 'login_rate_limited' THEN jsonb_build_object(
                   'email', 'nobody' || a.g % 1000 || '@mail.example', 'retryAfterSeconds', 900)
              WHEN 'session_revoked' THEN jsonb_build_object('reason',
                   (ARRAY['logout','logout','logout','evicted','expired','expired','logout_all'])[1 + a.g % 7])
              WHEN 'order_status_changed' THEN jsonb_build_object('orderId', ${uuidOf('order', 'a.g % $2::int')},
                   'number', 1 + a.g % 500, 'from', (${STEPS})[1 + a.g % 4], 'to', (${STEPS})[2 + a.g % 4])
              WHEN 'order_cancelled' THEN jsonb_build_object('orderId', ${uuidOf('order', 'a.g % $2::int')},
                   'number', 1 + a.g % 500, 'from', 'pending', 'to', 'cancelled', 'reason', 'Out of stock')
              WHEN 'payment_recorded' THEN jsonb_build_object('orderId', ${uuidOf('order', 'a.g % $2::int')},
                   'number', 1 + a.g % 500, 'method', (ARRAY['card','card','cash'])[1 + a.g % 3],
                   'amountCents', 450 + a.g % 4000, 'tipCents', CASE WHEN a.g % 3 = 0 THEN 100 ELSE 0 END)
              WHEN 'refund_recorded' THEN jsonb_build_object('orderId', ${uuidOf('order', 'a.g % $2::int')},
                   'number', 1 + a.g % 500, 'method', 'card', 'amountCents', 450, 'reason', 'Spilled drink, replaced')
              WHEN 'user_created' THEN jsonb_build_object('role', 'customer', 'selfRegistered', true)
              WHEN 'stock_changed' THEN jsonb_build_object('menuItemId', ${uuidOf('menu', 'a.g % 48')},
                   'name', 'Pilsner', 'from', 12, 'to', 40, 'delta', 28)
              WHEN 'menu_availability_changed' THEN jsonb_build_object('menuItemId', ${uuidOf('menu', 'a.g % 48')},
                   'name', 'Nachos, large', 'to', a.g % 2 = 0)
              WHEN 'menu_item_updated' THEN jsonb_build_object('menuItemId', ${uuidOf('menu', 'a.g % 48')},
                   'name', 'IPA', 'before', jsonb_build_object('priceCents', 550),
                   'after', jsonb_build_object('priceCents', 600))
              WHEN 'password_changed' THEN '{}'::jsonb
              WHEN 'password_reset_requested' THEN '{}'::jsonb
              WHEN 'user_deactivated' THEN jsonb_build_object('actorId', ${uuidOf('staff', '0')})
              ELSE '{}'::jsonb
            END
       FROM (SELECT (s.first_g * $1::float8 / $2::int)::int + i AS g, s.day, s.today, i, m.n,
                    random() AS r, random() AS r2, random() AS who, random() AS staff_pick
               FROM seed_days AS s,
                    LATERAL (SELECT greatest(1, round(s.n * $1::float8 / $2::int))::int AS n) AS m,
                    generate_series(0, m.n - 1) AS i) AS b,
            LATERAL (SELECT b.g, b.r, b.r2,
                            floor($3::int * b.who * b.who)::int AS customer,
                            ${ADMINS} + floor(b.staff_pick * ${BARTENDERS})::int AS bartender,
                            CASE WHEN b.today THEN now() - (b.n - b.i) * interval '10 seconds'
                                 ELSE b.day + interval '13 hours'
                                      + acos(1 - 2 * (b.i + 0.5) / b.n) / pi() * interval '10 hours 50 minutes'
                            END AS at) AS a,
            LATERAL (SELECT CASE
                              WHEN a.r < 0.30 THEN 'login_succeeded'
                              WHEN a.r < 0.34 THEN 'login_failed'
                              WHEN a.r < 0.343 THEN 'login_rate_limited'
                              WHEN a.r < 0.44 THEN 'session_revoked'
                              WHEN a.r < 0.80 THEN 'order_status_changed'
                              WHEN a.r < 0.82 THEN 'order_cancelled'
                              WHEN a.r < 0.96 THEN 'payment_recorded'
                              WHEN a.r < 0.965 THEN 'refund_recorded'
                              WHEN a.r < 0.977 THEN 'user_created'
                              WHEN a.r < 0.985 THEN 'stock_changed'
                              WHEN a.r < 0.99 THEN 'menu_availability_changed'
                              WHEN a.r < 0.993 THEN 'menu_item_updated'
                              WHEN a.r < 0.996 THEN 'password_changed'
                              WHEN a.r < 0.999 THEN 'password_reset_requested'
                              ELSE 'user_deactivated' END AS type) AS t0,
            LATERAL (SELECT t0.type, t0.type IN ('order_status_changed', 'order_cancelled',
                                                 'payment_recorded', 'refund_recorded') AS staff) AS t`,
    [n.audit, n.orders, n.customers],
  );
  return audit.rowCount ?? 0;
}

async function fillEventLog(client: Client): Promise<number> {
  // The last day's order events, as replay and the pruning job find them.
  const events = await client.query(
    `INSERT INTO event_log (type, payload, customer_id, created_at)
     SELECT e.type, jsonb_build_object('type', e.type, 'order', jsonb_build_object('id', o.id,
              'number', o.number, 'status', o.status)),
            ${ORDER_CUSTOMER_ID}, o.created_at + e.minutes * interval '1 minute'
       FROM seed_orders AS o,
            LATERAL (VALUES ('order.created', 0), ('order.updated', 2), ('order.updated', 9)) AS e(type, minutes)
      WHERE o.created_at > now() - interval '1 day'
      ORDER BY o.g, e.minutes`,
  );
  return events.rowCount ?? 0;
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const scale = yearScaleFromEnv();
  await seedYear(url, scale, process.env.BENCH_RESEED === '1');
}

if (process.argv[1]?.endsWith('seed-year.js')) await main();
