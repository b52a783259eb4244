// One way to call the host: the openapi-fetch client typed from openapi.json (api.gen.ts), same-origin cookies,
// and one middleware that turns every answer other than 2xx into an ApiError that says what went wrong.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api.gen';

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

  /** The reasons the host gave for one field (its name as the form uses it: `opinion`, `materials`...). */
  fieldErrors(name: string): string[] {
    return Object.entries(this.fields)
      .filter(([k]) => fieldName(k) === name)
      .flatMap(([, v]) => v);
  }
}

/** The Form.Item props that show what the host said of one field of a failed call (none when it said nothing of it). */
export function fieldProps(error: unknown, name: string): { validateStatus?: 'error'; help?: string } {
  const text = error instanceof ApiError ? error.fieldErrors(name).join('；') : '';
  return text ? { validateStatus: 'error', help: text } : {};
}

/** Whether a failed call named fields (its words then stand at the fields, not in an alert of their own). */
export const namesFields = (error: unknown) => error instanceof ApiError && Object.keys(error.fields).length > 0;

/** `Opinion`, `body.opinion`, `$.opinion` → `opinion`: the host's field names as the form's. */
const fieldName = (key: string) => {
  const last = key.split('.').pop() ?? key;
  return last.charAt(0).toLowerCase() + last.slice(1);
};

/** Reads a problem-details body (RFC 9457) into words a clerk can act on. */
export function problemMessage(status: number, body: unknown): { message: string; fields: Record<string, string[]> } {
  const p = (body ?? {}) as { title?: string; detail?: string; errors?: Record<string, string[]> };
  const fields = p.errors ?? {};
  // The host's field keys (`applicant.idNumber`, `$.root`) are for the form, not words: only the messages are said.
  const first = p.detail ?? p.title;
  const named = [...new Set(Object.values(fields).flat())].filter((m) => m !== first);
  const message = [first, ...named].filter(Boolean).join(' — ') || (uiLang() === 'zh' ? `请求未成功（${status}）` : `The request failed (${status})`);
  return { message, fields };
}

/** The words of any error a query or mutation ends with. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The language the UI speaks (the same choice main.tsx keeps), so the host answers problems in it too. */
const uiLang = (): 'zh' | 'en' => {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem('govflow.lang') === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
};

let unauthorized: () => void = () => {};

/** What to do when the host says the session is gone (401): the app forgets the user, and the routes send them to /login. */
export function onUnauthorized(handler: () => void) {
  unauthorized = handler;
}

/** Sign-in and "who am I" answer 401 as part of their job; any other 401 means the session has ended. */
const isAuthCall = (url: string) => new URL(url, 'http://host').pathname.startsWith('/api/auth/');

export const problems: Middleware = {
  onRequest({ request }) {
    if (!request.headers.has('Accept')) request.headers.set('Accept', 'application/json');
    if (!request.headers.has('Accept-Language')) request.headers.set('Accept-Language', uiLang() === 'en' ? 'en' : 'zh-CN');
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return response;
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.status === 401 && !isAuthCall(request.url)) unauthorized();
    const { message, fields } = problemMessage(response.status, body);
    throw new ApiError(response.status, message, fields);
  },
  onError({ error }) {
    // A cancelled request (the page moved on) stays a cancellation; a lost connection is said in words.
    if ((error as { name?: string } | null)?.name === 'AbortError' || error instanceof ApiError) return;
    return new ApiError(0, uiLang() === 'en' ? 'Cannot reach the server; check the network and try again.' : '无法连接服务器，请检查网络后重试');
  },
};

export const client = createClient<paths>({
  baseUrl: typeof location === 'undefined' ? 'http://localhost' : location.origin,
  credentials: 'same-origin',
  // Looked up on each call, so tests can stand in for the network.
  fetch: (request: Request) => globalThis.fetch(request),
});
client.use(problems);
