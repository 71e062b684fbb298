/*
 * audit.js — the audit trail (SPEC X3): the chain's verification state,
 * a filterable, paged list of entries, and each entry's before/after
 * shown field by field with its hashes.
 */
import { h } from '../dom.js';
import { t, tOr, getLang } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../session.js';
import { fmtDateTime, fmtDateTimeSec, isEpochField } from '../format.js';
import { ListView, restoreFilters } from '../list.js';
import { fmtSize } from '../fieldstaff.js';
import { exportButtons } from '../export.js';
import { Form, button, busy, tag, card, pageHeader, filterBar, openDrawer, descriptions, alertBox, spinner } from '../ui.js';

/* Every entity and action the server writes to the trail (the audit_change
 * calls in src/store/), in the order the filters offer them; the server
 * refuses a filter outside these lists. */
export const ENTITIES = ['user', 'tenant', 'calendar_year', 'job', 'site', 'household', 'staff', 'staff_file', 'hiring_step', 'training', 'certificate', 'job_rule', 'assignment', 'discipline', 'staff_return', 'badge', 'import', 'audit'];
export const ACTIONS = ['login', 'logout', 'login_failed', 'lock', 'create', 'update', 'enable', 'disable', 'set_password', 'unlock', 'set_photo', 'upload', 'decide', 'issue', 'void', 'revoke', 'returned', 'import', 'import_check', 'import_refused', 'retry', 'cancel', 'view_personal', 'export'];
const ACTION_COLORS = {
	create: 'green',
	enable: 'green',
	issue: 'green',
	update: 'blue',
	import: 'blue',
	decide: 'blue',
	upload: 'blue',
	set_photo: 'blue',
	returned: 'cyan',
	import_check: 'cyan',
	import_refused: 'orange',
	retry: 'blue',
	set_password: 'orange',
	unlock: 'orange',
	disable: 'red',
	cancel: 'red',
	void: 'red',
	revoke: 'red',
	lock: 'red',
	login_failed: 'red',
	view_personal: 'purple',
	export: 'cyan',
};

export const actionLabel = (a) => tOr(`audit.action.${a}`, a);
export const entityLabel = (e) => tOr(`audit.entity.${e}`, e);

/* A field of a record as the reader's language names it (the code where
   the catalogue has none: a field a later module adds). */
export const fieldLabel = (k) => tOr(`audit.f.${k}`, k);

/* The catalogue a field's coded values are named from: by field, or by
   field and the entity it belongs to (a status is a worker's, an
   account's, a household's…). */
const VALUE_WORDS = {
	level: 'staff.level',
	job_type: 'staff.job',
	job_types: 'staff.job',
	certificates: 'fs.cert',
	employment: 'staff.employment',
	step: 'fs.step',
	category: 'hh.category',
	flags: 'hh.flag',
	'certificate.type': 'fs.cert',
	'staff.status': 'staff.status',
	'user.status': 'user.status',
	'household.status': 'hh.status',
	'assignment.status': 'asg.status',
	'site.kind': 'site.kind',
	'discipline.kind': 'fs.discipline',
	'training.kind': 'fs.training',
	'staff_file.kind': 'fs.doc',
};
const valueWord = (entity, key, x) => {
	const prefix = VALUE_WORDS[`${entity}.${key}`] || VALUE_WORDS[key];
	return prefix && typeof x === 'string' ? tOr(`${prefix}.${x}`, x) : x;
};

function show(key, v, entity) {
	if (v === null || v === undefined) return t('common.none');
	if (typeof v === 'number' && isEpochField(key) && v > 0) return `${fmtDateTime(v)}`;
	if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
	if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(valueWord(entity, key, x)))).join(', ');
	if (typeof v === 'object') return JSON.stringify(v);
	return String(valueWord(entity, key, v));
}

function diffTable(before, after, entity) {
	const b = before && typeof before === 'object' && !Array.isArray(before) ? before : null;
	const a = after && typeof after === 'object' && !Array.isArray(after) ? after : null;
	if (!b && !a) return h('p', { class: 'text-secondary' }, t('audit.noData'));
	const keys = [...new Set([...Object.keys(b || {}), ...Object.keys(a || {})])];
	const rows = keys.map((k) => {
		const bv = b ? b[k] : undefined;
		const av = a ? a[k] : undefined;
		const changed = b && a && JSON.stringify(bv) !== JSON.stringify(av);
		return h('tr', { class: changed ? 'is-changed' : null, 'data-field': k }, h('th', { scope: 'row', title: k }, fieldLabel(k)), b ? h('td', null, show(k, bv, entity)) : null, a ? h('td', null, show(k, av, entity)) : null);
	});
	return h(
		'div',
		{ class: 'table-wrap' },
		h('table', { class: 'table table-compact diff' }, h('thead', null, h('tr', null, h('th', null, t('audit.field')), b ? h('th', null, t('audit.before')) : null, a ? h('th', null, t('audit.after')) : null)), h('tbody', null, rows)),
	);
}

function openEntry(e) {
	openDrawer({
		title: t('audit.entryTitle', { seq: e.seq }),
		testid: 'audit-entry',
		width: 640,
		content: [
			descriptions(
				[
					[t('audit.seq'), String(e.seq)],
					[t('audit.at'), fmtDateTimeSec(e.at)],
					[t('audit.actor'), e.actor],
					[t('audit.ip'), e.ip || ''],
					[t('audit.action'), actionLabel(e.action)],
					[t('audit.entity'), `${entityLabel(e.entity)} #${e.entity_id}`],
					[t('common.reason'), e.reason || ''],
				],
				{ cols: 1 },
			),
			h('h3', { class: 'section-title' }, t('audit.changes')),
			diffTable(e.before, e.after, e.entity),
			h('h3', { class: 'section-title' }, t('audit.hashes')),
			descriptions(
				[
					[t('audit.prevHash'), h('code', { class: 'hash' }, e.prev_hash)],
					[t('audit.hash'), h('code', { class: 'hash' }, e.hash)],
				],
				{ cols: 1 },
			),
		],
	});
}

export async function render({ el, query }) {
	/* ---- chain state ---- */
	const verifySlot = h('div', { class: 'verify', 'data-testid': 'audit-verify' });
	const verifyBtn = button(t('audit.verifyAgain'), { icon: 'refresh', size: 'sm', onClick: () => busy(verifyBtn, verify), testid: 'audit-verify-btn' });
	async function verify() {
		verifySlot.replaceChildren(spinner(t('audit.verifying')));
		try {
			const v = await api.get('/audit/verify');
			verifySlot.replaceChildren(
				v.intact
					? alertBox('success', t('audit.intactText', { n: v.entries, hash: (v.head_hash || '').slice(0, 16) }), { title: t('audit.intact'), actions: verifyBtn })
					: alertBox('error', t('audit.brokenAt', { seq: v.broken_seq, reason: v.reason }), { title: t('audit.broken'), actions: verifyBtn }),
			);
		} catch (err) {
			verifySlot.replaceChildren(alertBox('error', err.message, { title: t('audit.verifyFailed'), actions: verifyBtn }));
		}
	}

	/* ---- list ---- */
	const list = new ListView({
		fetch: (q) => api.get('/audit', q),
		testid: 'audit-list',
		empty: t('audit.empty'),
		caption: t('nav.audit'),
		rowKey: 'seq',
		columns: [
			{ key: 'seq', title: t('audit.seq'), cls: 'num' },
			{ key: 'at', title: t('audit.at'), nowrap: true, render: (e) => fmtDateTime(e.at) },
			{ key: 'actor', title: t('audit.actor'), nowrap: true },
			{ key: 'action', title: t('audit.action'), render: (e) => tag(actionLabel(e.action), ACTION_COLORS[e.action] || 'default', { 'data-action': e.action }) },
			{ key: 'entity', title: t('audit.entity'), nowrap: true, render: (e) => h('span', { 'data-entity': `${e.entity}:${e.entity_id}` }, `${entityLabel(e.entity)} #${e.entity_id}`) },
			{ key: 'summary', title: t('audit.summary'), render: (e) => summary(e) },
			{ key: 'reason', title: t('common.reason'), render: (e) => e.reason || '' },
			{ key: 'ip', title: t('audit.ip'), nowrap: true, render: (e) => e.ip || '' },
			{ key: 'view', title: t('common.actions'), cls: 'col-actions', render: (e) => button(t('common.details'), { kind: 'link', size: 'sm', onClick: () => openEntry(e), testid: 'audit-open' }) },
		],
	});

	const filters = new Form(
		[
			{ name: 'entity', label: t('audit.entity'), type: 'select', options: [{ value: '', label: t('common.all') }, ...ENTITIES.map((e) => ({ value: e, label: entityLabel(e) }))] },
			{ name: 'entity_id', label: t('audit.entityId'), type: 'number', min: 1, step: 1, inputmode: 'numeric' },
			{ name: 'actor', label: t('audit.actor'), maxlength: 32, placeholder: t('audit.actorHint') },
			{ name: 'action', label: t('audit.action'), type: 'select', options: [{ value: '', label: t('common.all') }, ...ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))] },
			{ name: 'from', label: t('audit.from'), type: 'datetime-local' },
			{ name: 'to', label: t('audit.to'), type: 'datetime-local' },
		],
		{ layout: 'inline', testid: 'audit-filter' },
	);
	restoreFilters(filters, query);

	const search = async () => {
		filters.clearErrors();
		await list.search(filters.values());
		if (!list.page && list.lastError) filters.showError(list.lastError);
	};

	el.append(
		pageHeader(t('nav.audit'), {
			desc: t('audit.desc'),
			actions: exportButtons({ path: '/audit', query: () => list.exportQuery(), base: 'audit', testid: 'audit-export' }),
		}),
		can('GET /api/v1/audit/verify') ? verifySlot : null,
		filterBar(filters, { onSearch: search, onReset: search }),
		card(null, list.el, { cls: 'card-table' }),
	);
	if (can('GET /api/v1/audit/verify')) verify();
	list.state.filters = filters.values();
	await list.reload();
}

/* A code from a server record in words: the catalogue's entry, else the code. */
const word = (prefix, code) => (code === undefined || code === null || code === '' ? '' : tOr(`${prefix}.${code}`, String(code)));
const parts = (...xs) => xs.filter((x) => x !== '' && x !== null && x !== undefined).join(' · ');

/* What a new record is, by its entity: its name or its codes in words. */
const NEW_RECORD = {
	hiring_step: (a) => parts(word('fs.step', a.step), word('fs.result', a.result)),
	training: (a) => parts(word('fs.training', a.kind), a.topic),
	certificate: (a) => parts(word('fs.cert', a.type), a.number),
	discipline: (a) => parts(word('fs.discipline', a.kind), a.reason),
	staff_return: (a) => word('fs.return', a.item),
	staff_file: (a) => parts(word('fs.doc', a.kind), a.name),
	assignment: (a) => parts(word('staff.job', a.job_type), a.day, a.time_window),
	badge: (a) => (a.staff_id ? t('audit.sum.staffN', { id: a.staff_id }) : ''),
	job: (a) => word('job.kind', a.kind),
	import: (a) => t('audit.sum.imported', { kind: word('import.kind', a.kind), source: a.source || '', rows: a.rows ?? 0 }),
};

/* One line on what the entry did: the fields whose values differ, or
 * what was made, viewed or exported. */
export function summary(e) {
	const b = e.before && typeof e.before === 'object' ? e.before : null;
	const a = e.after && typeof e.after === 'object' ? e.after : null;
	const line = (text) => (text ? h('span', { class: 'text-secondary' }, String(text)) : '');
	if (e.action === 'view_personal' && a)
		return line(t('audit.sum.viewed', { fields: String(a.fields || '').split(',').map((f) => word('audit.sum.field', f.trim())).join(', ') }));
	if (e.action === 'export' && a) return line(t('audit.sum.exported', { rows: a.rows ?? 0, format: a.format || '' }));
	if (e.action === 'set_photo' && a) return line(parts(a.type, a.bytes ? fmtSize(a.bytes) : ''));
	if (b && a) {
		const changed = Object.keys(a).filter((k) => !['updated_at', 'version'].includes(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
		const what = e.entity === 'job_rule' ? word('staff.job', a.job_type) : '';
		return changed.length ? line(parts(what, t('audit.changedFields', { fields: changed.map(fieldLabel).join(getLang() === 'en' ? ', ' : '、') }))) : '';
	}
	if (a && !b) {
		if (NEW_RECORD[e.entity]) return line(NEW_RECORD[e.entity](a));
		return line(a.username || a.name || '');
	}
	return '';
}
