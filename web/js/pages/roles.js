/*
 * roles.js — the roles (SPEC X2) and what each may do, as the server's
 * route table states it: a list of roles with their descriptions and a
 * permission matrix (one row per API route, one column per role).
 */
import { h, icon } from '../dom.js';
import { t, pick } from '../i18n.js';
import { session, roles } from '../session.js';
import { card, pageHeader, tag, dataTable } from '../ui.js';

export async function render({ el }) {
	const all = await roles();
	const mine = new Set(session.user.roles);

	const roleTable = dataTable({
		testid: 'roles-list',
		rowKey: 'code',
		rows: all,
		columns: [
			{ key: 'name', title: t('role.name'), nowrap: true, render: (r) => h('span', { class: 'role-name' }, pick(r), mine.has(r.code) ? tag(t('role.mine'), 'green') : null) },
			{ key: 'code', title: t('role.code'), render: (r) => h('code', null, r.code) },
			{ key: 'desc', title: t('role.description'), render: (r) => pick(r, 'desc') },
			{ key: 'routes', title: t('role.permissionCount'), cls: 'num', render: (r) => String(r.routes.length) },
		],
	});

	/* every route any role may call, in the server's table order */
	const routes = [];
	const seen = new Set();
	for (const r of all)
		for (const rt of r.routes) {
			const k = `${rt.method} ${rt.path}`;
			if (!seen.has(k)) {
				seen.add(k);
				routes.push(rt);
			}
		}
	const allowed = new Map(all.map((r) => [r.code, new Set(r.routes.map((rt) => `${rt.method} ${rt.path}`))]));
	const head = h(
		'tr',
		null,
		h('th', { scope: 'col', class: 'matrix-route' }, t('role.operation')),
		all.map((r) => h('th', { scope: 'col', class: ['matrix-role', mine.has(r.code) ? 'is-mine' : ''], title: pick(r, 'desc') }, pick(r))),
	);
	const rows = routes.map((rt) => {
		const k = `${rt.method} ${rt.path}`;
		return h(
			'tr',
			{ 'data-route': k },
			h('th', { scope: 'row', class: 'matrix-route' }, h('div', null, pick(rt)), h('code', { class: 'route-code' }, k)),
			all.map((r) => {
				const ok = allowed.get(r.code).has(k);
				return h('td', { class: ['matrix-cell', ok ? 'is-yes' : 'is-no', mine.has(r.code) ? 'is-mine' : ''], 'data-role': r.code }, ok ? icon('check') : h('span', { class: 'dash' }, '–'), h('span', { class: 'sr-only' }, ok ? t('role.allowed') : t('role.denied')));
			}),
		);
	});
	const matrix = h('div', { class: 'table-wrap matrix-wrap', 'data-testid': 'role-matrix' }, h('table', { class: 'table matrix' }, h('caption', { class: 'sr-only' }, t('role.matrix')), h('thead', null, head), h('tbody', null, rows)));

	el.append(
		pageHeader(t('nav.roles'), { desc: t('role.desc') }),
		card(t('role.list'), roleTable, { cls: 'card-table' }),
		card(t('role.matrix'), [h('p', { class: 'text-secondary card-note' }, t('role.matrixNote')), matrix], { cls: 'card-table' }),
	);
}
