// The /client/v4 API through the dashboard session. The session cookie is HttpOnly:
// this code never sees it, and never holds the API token after sign-in.
// Every state-changing request carries X-Gatehouse-CSRF: 1, which the server demands
// (with a same-origin check) before it honours the cookie.

export class ApiError extends Error {
  constructor(status, errors) {
    const list = errors?.length ? errors : [{ code: 0, message: `HTTP ${status}` }];
    const parsed = list.map((e) => parseMessage(e.message ?? ''));
    super(parsed.map((p) => p.text).join('; '));
    this.status = status;
    this.errors = parsed;
    this.slug = parsed[0]?.slug ?? '';
  }
  // "No such endpoint" means this server does not offer the feature at all.
  get unavailable() {
    return this.status === 404 && (this.slug === 'no_such_endpoint' || this.slug === '');
  }
}

// "access.api.error.<slug>: <text>" → {slug, text, field}; the text of a 400 starts
// with the field it is about ("name is required", "policies[0].include[1].ip …").
function parseMessage(message) {
  const m = /^access\.api\.error\.([a-z0-9_]+):\s*(.*)$/s.exec(message);
  const slug = m ? m[1] : '';
  const text = m ? m[2] : message;
  const f = /^([a-z_][a-z0-9_]*(?:\[\d+\]|\.[a-z_][a-z0-9_]*)*)\s/.exec(text);
  return { slug, text, field: f ? f[1] : null };
}

let unauthorizedHandler = () => {};
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

let accountId = null;
export function setAccount(id) {
  accountId = id;
}

export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-Gatehouse-CSRF'] = '1';
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, [{ code: 0, message: `The server could not be reached (${e.message}).` }]);
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok || !data || data.success === false) {
    const err = new ApiError(res.status, data?.errors);
    // A session that ended (signed out elsewhere, idle, API token revoked): sign in again.
    if (res.status === 401 && !path.startsWith('/dashboard/session')) unauthorizedHandler(err);
    throw err;
  }
  return data;
}

function accountPath(path, query) {
  let url = `/client/v4/accounts/${encodeURIComponent(accountId)}${path}`;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    const s = q.toString();
    if (s) url += `?${s}`;
  }
  return url;
}

// Envelope helpers: get → {result, result_info}; the others → result.
export const api = {
  list: (path, query) => request('GET', accountPath(path, query)),
  get: async (path, query) => (await request('GET', accountPath(path, query))).result,
  post: async (path, body) => (await request('POST', accountPath(path), body)).result,
  put: async (path, body) => (await request('PUT', accountPath(path), body)).result,
  del: async (path) => (await request('DELETE', accountPath(path))).result,
};

// Every page of a list (for pickers); stops at `limit` items.
export async function listAll(path, query = {}, limit = 5000) {
  const out = [];
  for (let page = 1; out.length < limit; page += 1) {
    const data = await api.list(path, { ...query, page, per_page: 1000 });
    out.push(...data.result);
    const info = data.result_info;
    if (!data.result.length || !info || page >= info.total_pages) break;
  }
  return out;
}

export const session = {
  get: async () => (await request('GET', '/dashboard/session')).result,
  signIn: async (apiToken) => (await request('POST', '/dashboard/session', { api_token: apiToken })).result,
  signOut: () => request('DELETE', '/dashboard/session'),
};
