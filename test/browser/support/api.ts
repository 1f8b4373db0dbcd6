/**
 * Talks to the real API from the test, as the bar staff would (refresh token in the body); with
 * `app: 'customer'` as a customer on another device.
 */
export class StaffClient {
  private token = '';

  constructor(private readonly baseUrl: string) {}

  /** The access token of the last sign-in, for requests made some other way. */
  get accessToken(): string {
    return this.token;
  }

  async login(
    email: string,
    password: string,
    app: 'bartender' | 'admin' | 'customer' = 'bartender',
  ): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, app, refreshTransport: 'body' }),
    });
    if (response.status !== 200)
      throw new Error(`staff login: ${response.status} ${await response.text()}`);
    this.token = ((await response.json()) as { accessToken: string }).accessToken;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** Moves an order to `status`, reading its current version first. */
  async advance(orderId: string, status: string): Promise<void> {
    const current = await this.request('GET', `/api/orders/${orderId}`);
    const moved = await this.request('PATCH', `/api/orders/${orderId}/status`, {
      status,
      version: current.body.version,
    });
    if (moved.status !== 200)
      throw new Error(`advance to ${status}: ${moved.status} ${JSON.stringify(moved.body)}`);
  }
}

/** A menu item as the tests read it from `GET /api/menu`, with what its choices need. */
export interface MenuEntry {
  id: string;
  optionGroups?: { min: number; options: { id: string; available: boolean }[] }[];
}

/**
 * The fewest choices an item can be ordered with: the first available options of each group, as
 * many as the group's minimum (a beer's size: the pint). Empty for an item without required groups.
 */
export function requiredOptions(item: MenuEntry | undefined): string[] {
  return (item?.optionGroups ?? []).flatMap((group) =>
    group.options
      .filter((option) => option.available)
      .slice(0, group.min)
      .map((option) => option.id),
  );
}
