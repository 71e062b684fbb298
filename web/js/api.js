/*
 * api.js — the one fetch wrapper: JSON in and out, the session's CSRF
 * token on every write, the UI language as Accept-Language, and every
 * failure turned into an ApiError carrying the server's code, message
 * (already in the right language), field, detail and line. Besides JSON: upload()
 * sends a file's bytes as the body (imports), fetchFile() takes a file
 * as the answer (exports).
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
		this.detail = (err && err.detail) || null;	/* the rule the field broke, which the message ends with */
		this.currentVersion = (err && err.current_version) || null;
		this.body = null;
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

async function send(method, path, { query, body, contentType, accept = 'application/json' } = {}) {
	const headers = { Accept: accept, 'Accept-Language': apiLang() };
	const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
	if (method !== 'GET' && method !== 'HEAD') {
		headers['X-CSRF-Token'] = csrfToken;
		if (body !== undefined) {
			headers['Content-Type'] = contentType || 'application/json';
			init.body = contentType ? body : JSON.stringify(body);
		}
	}
	try {
		return await fetch(BASE + path + queryString(query), init);
	} catch {
		throw new ApiError(0, { code: 'network', message: t('error.network') });
	}
}

/* The answer's JSON, or null when it has none. */
async function readJson(res) {
	const text = await res.text();
	if (!text) return null;
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}

/* A refusal as an ApiError; the whole answer stays in err.body (an import's
 * report comes with its 422). */
function fail(res, path, data) {
	const err = new ApiError(res.status, data && data.error ? data.error : { code: `http_${res.status}`, message: t('error.http', { status: res.status }) });
	err.body = data;
	const isSession = path === '/session';
	if (res.status === 401 && !isSession && hooks.unauthenticated) hooks.unauthenticated(err);
	if (err.code === 'password_change_required' && hooks.passwordChangeRequired) hooks.passwordChangeRequired(err);
	return err;
}

export async function request(method, path, { query, body } = {}) {
	const res = await send(method, path, { query, body });
	if (res.status === 204) return null;
	const data = await readJson(res);
	if (res.ok) return data;
	throw fail(res, path, data);
}

/* Sends a file's bytes as the body (an import: Content-Type text/csv);
 * the answer is JSON as for request(). */
export async function upload(path, file, { query, contentType = 'text/csv', method = 'POST' } = {}) {
	const res = await send(method, path, { query, body: file, contentType });
	const data = await readJson(res);
	if (res.ok) return data;
	throw fail(res, path, data);
}

/* The file name a Content-Disposition header gives, if any. */
export function dispositionName(header) {
	if (!header) return '';
	const star = /filename\*\s*=\s*utf-8''([^;]+)/i.exec(header);
	if (star) {
		try {
			return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
		} catch {
			/* fall through to the plain name */
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
	return plain ? (plain[2] !== undefined ? plain[2] : plain[1].trim()) : '';
}

/* A GET whose answer is a file (an export with format=csv|xlsx):
 * {blob, filename}. A refusal is JSON and throws an ApiError. */
export async function fetchFile(path, query) {
	const res = await send('GET', path, { query, accept: '*/*' });
	if (!res.ok) throw fail(res, path, await readJson(res));
	const blob = await res.blob();
	return { blob, filename: dispositionName(res.headers.get('Content-Disposition')), type: res.headers.get('Content-Type') || '' };
}

export const api = {
	get: (path, query) => request('GET', path, { query }),
	post: (path, body) => request('POST', path, { body: body || {} }),
	put: (path, body) => request('PUT', path, { body: body || {} }),
	patch: (path, body) => request('PATCH', path, { body: body || {} }),
	del: (path) => request('DELETE', path),
};
