// The console's client of Herald's public API: every action goes through it, with the key the user entered, kept
// in this tab's session storage only.

const KEY = 'herald.console.key';
/** Where the API is: the console's own origin and stage ("/console" -> "/", "/prod/console" -> "/prod/"). */
export const root = location.pathname.replace(/console\/?$/, '');

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export function getKey() {
  return sessionStorage.getItem(KEY);
}

export function setKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

/** Calls the API; resolves to the JSON answer (null for 204), rejects with an ApiError carrying its detail. */
export async function api(method, path, body) {
  const headers = { 'X-Api-Key': getKey() || '' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(root + path.replace(/^\//, ''), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'Herald could not be reached: check the connection and try again');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (!response.ok) {
    const detail = data && (data.detail || data.message);
    throw new ApiError(response.status, detail ? `${detail} (${response.status})`
      : `Herald answered ${response.status}`);
  }
  return data;
}

/** A query string from the parameters that have a value. */
export function query(params) {
  const parts = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export const enc = encodeURIComponent;

let config;
/** What the deployment tells the console: its WebSocket URL and job lease. */
export async function consoleConfig() {
  if (!config) {
    const response = await fetch(`${root}console/config.json`);
    config = response.ok ? await response.json() : {};
  }
  return config;
}

/** Splits "a, b ,c" into ["a", "b", "c"]. */
export function list(text) {
  return (text || '').split(',').map((s) => s.trim()).filter(Boolean);
}
