/**
 * Raw HTTP against a running stack, for what a typed client cannot send: broken JSON, wrong content types,
 * oversized bodies, missing or bad keys.
 */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  readonly body: any;
  readonly text: string;
}

export interface RawRequest {
  readonly key?: string;
  /** An object is sent as JSON; a string as it is. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export async function send(
  baseUrl: string,
  method: string,
  path: string,
  request: RawRequest = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.key !== undefined) headers.authorization = `Bearer ${request.key}`;
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  let parsed: unknown = text;
  if (/json/.test(contentType) && text !== '') parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, contentType, body: parsed, text };
}
