/** A small JSON client over real HTTP for e2e tests. */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function request<T = any>(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<JsonResponse<T>> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  let body = rest.body;
  if (json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(json);
  }
  const response = await fetch(url, { ...rest, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (response.headers.get('content-type')?.includes('application/json')) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** Asserts the contract's error shape and returns it. */
export function expectErrorBody(
  response: JsonResponse,
  status: number,
  code: string,
): { statusCode: number; code: string; message: string; details?: unknown } {
  const body = response.body as { statusCode: number; code: string; message: string };
  if (response.status !== status || body.code !== code || body.statusCode !== status) {
    throw new Error(
      `Expected ${status} ${code}, got ${response.status} ${response.text.slice(0, 300)}`,
    );
  }
  if (typeof body.message !== 'string' || body.message.length === 0) {
    throw new Error(`Error body without a message: ${response.text}`);
  }
  return body;
}
