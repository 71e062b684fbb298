/*
 * session.js — who is signed in: the user, their organisation, the CSRF
 * token and the routes they may call. `permissions` decides what the UI
 * shows; the server decides what actually happens.
 */
import { api, setCsrf } from './api.js';

export const session = {
	user: null,
	tenant: null,
	permissions: new Set(),
	version: '',
};

export function signedIn() {
	return session.user !== null;
}

export function setSession(data) {
	session.user = data.user;
	session.tenant = data.tenant;
	session.permissions = new Set(data.permissions || []);
	session.version = data.version || '';
	setCsrf(data.csrf_token);
}

export function clearSession() {
	session.user = null;
	session.tenant = null;
	session.permissions = new Set();
	setCsrf('');
}

/* can('GET /api/v1/users') — the permission strings the server lists. */
export function can(route) {
	return session.permissions.has(route);
}

/* Whether the user works in the office: reads accounts, households or
   staff. The roles whose work is in the field (field worker, reviewer,
   guard, volunteer coordinator) read none of them, and their menu and
   shortcuts leave out the office's pages (the roles' table of API
   routes, the organisation) that they may still open by address. */
export function inOffice() {
	return ['GET /api/v1/users', 'GET /api/v1/households', 'GET /api/v1/staff'].some((p) => can(p));
}

/* Whether the user holds one of these roles: for what the permission list
 * cannot say, such as who may see a phone number in full (docs/api.md). */
export function hasAnyRole(codes) {
	return Boolean(session.user && (session.user.roles || []).some((r) => codes.includes(r)));
}

export function mustChangePassword() {
	return Boolean(session.user && session.user.must_change_password);
}

export async function loadSession() {
	const data = await api.get('/session');
	setSession(data);
	return data;
}

export async function login(username, password) {
	const data = await api.post('/session', { username, password });
	setSession(data);
	return data;
}

export async function logout() {
	try {
		await api.del('/session');
	} finally {
		clearSession();
	}
}

/* A cached copy of GET /roles: role names in both languages for tags and
 * selects on every page. */
let rolesCache = null;
export async function roles() {
	if (!rolesCache) rolesCache = api.get('/roles').then((r) => r.items).catch((e) => {
		rolesCache = null;
		throw e;
	});
	return rolesCache;
}
export function forgetRoles() {
	rolesCache = null;
}
