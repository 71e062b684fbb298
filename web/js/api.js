/*
 * api.js — the one fetch wrapper: JSON in and out, the session's CSRF
 * token on every write, the UI language as Accept-Language, and every
 * failure turned into an ApiError carrying the server's code, message
 * (already in the right language), field and line.
 */
import { apiLang, t } from './i18n.js';

const BASE = '/api/v1';
let csrfToken = '';
const hooks = { unauthenticated: null, passwordChangeRequired: null };

export class ApiError extends Error {
	constructor(status, err) {
		super((err && err.message) || t('error.unknown'));
		this.name = 'ApiError';
		this.status = status;
		this.code = (err && err.code) || 'unknown';
		this.field = (err && err.field) || null;
		this.line = (err && err.line) || null;
		this.currentVersion = (err && err.current_version) || null;
	}

	get isConflict() {
		return this.code === 'version_conflict';
	}
}

export function setCsrf(token) {
	csrfToken = token || '';
}

/* app.js decides what a lost session or a forced password change means. */
export function onApiEvent(name, fn) {
	hooks[name] = fn;
}

/* Only declared, non-empty parameters go out: the API rejects unknown ones
 * and treats an empty value as a filter. */
export function queryString(query) {
	if (!query) return '';
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(query)) {
		if (v === undefined || v === null || v === '') continue;
		p.append(k, String(v));
	}
	const s = p.toString();
	return s ? `?${s}` : '';
}

export async function request(method, path, { query, body } = {}) {
	const headers = { Accept: 'application/json', 'Accept-Language': apiLang() };
	const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
	if (method !== 'GET' && method !== 'HEAD') {
		headers['X-CSRF-Token'] = csrfToken;
		if (body !== undefined) {
			headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
	}
	let res;
	try {
		res = await fetch(BASE + path + queryString(query), init);
	} catch {
		throw new ApiError(0, { code: 'network', message: t('error.network') });
	}
	if (res.status === 204) return null;
	let data = null;
	const text = await res.text();
	if (text) {
		try {
			data = JSON.parse(text);
		} catch {
			data = null;
		}
	}
	if (res.ok) return data;
	const err = new ApiError(res.status, data && data.error ? data.error : { code: `http_${res.status}`, message: t('error.http', { status: res.status }) });
	const isSession = path === '/session';
	if (res.status === 401 && !isSession && hooks.unauthenticated) hooks.unauthenticated(err);
	if (err.code === 'password_change_required' && hooks.passwordChangeRequired) hooks.passwordChangeRequired(err);
	throw err;
}

export const api = {
	get: (path, query) => request('GET', path, { query }),
	post: (path, body) => request('POST', path, { body: body || {} }),
	put: (path, body) => request('PUT', path, { body: body || {} }),
	patch: (path, body) => request('PATCH', path, { body: body || {} }),
	del: (path) => request('DELETE', path),
};
