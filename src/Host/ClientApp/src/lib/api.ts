// One way to call the host: JSON in and out, problem details turned into an ApiError that says what went wrong.

/** A JSON object the host sends whose shape the page reads loosely (case files, matter elements, flows). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** An answer other than 2xx, with the problem's words and the fields it names. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }

  /** Someone else acted first (409). */
  get isConflict() {
    return this.status === 409;
  }
}

/** Reads a problem-details body (RFC 9457) into words a clerk can act on. */
export function problemMessage(status: number, body: unknown): { message: string; fields: Record<string, string[]> } {
  const p = (body ?? {}) as { title?: string; detail?: string; errors?: Record<string, string[]> };
  const fields = p.errors ?? {};
  const named = Object.entries(fields).map(([k, v]) => `${k}: ${v.join('；')}`);
  const message = [p.detail ?? p.title, ...named].filter(Boolean).join(' — ') || `HTTP ${status}`;
  return { message, fields };
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const response = await fetch(path, {
    credentials: 'same-origin',
    ...rest,
    headers: { Accept: 'application/json', ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(rest.headers ?? {}) },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await response.text();
  const body = text ? safeParse(text) : undefined;
  if (!response.ok) {
    const { message, fields } = problemMessage(response.status, body);
    throw new ApiError(response.status, message, fields);
  }
  return body as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const post = <T>(path: string, json?: unknown, headers?: Record<string, string>) =>
  api<T>(path, { method: 'POST', json: json ?? {}, headers });
