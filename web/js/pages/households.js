/*
 * households.js — households and premises (户; a gas company's customers,
 * SPEC G1): a search over name, phone, address and account number, filters
 * (category, flag, status, site and what is under it), sorting, paging,
 * export to CSV or Excel; details with masked phones and ID number and a
 * "show" button for the roles that may see them in full (SPEC X5); create
 * and edit in drawers, every field. A stale edit gets the server's
 * version_conflict and the drawer reloads the record (SPEC X3).
 *
 * #/households?site_id=… opens the list filtered by a site (the link on
 * the sites page); ?id=… opens one household's details.
 */
import { h, icon, setChildren } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { can, session } from '../session.js';
import { fmtDateTime } from '../format.js';
import { ListView, restoreFilters, takeFromAddress } from '../list.js';
import { savePatch } from '../edit.js';
import { exportButtons } from '../export.js';
import { sitePicker } from '../sitepicker.js';
import { personalField, mayReveal, maskedEdit } from '../personal.js';
import { Form, button, busy, tag, card, pageHeader, filterBar, openDrawer, editDrawer, toast, descriptions, spinner, errorState } from '../ui.js';

const P = {
	read: 'GET /api/v1/households/:id',
	create: 'POST /api/v1/households',
	update: 'PATCH /api/v1/households/:id',
	import: 'POST /api/v1/imports/households',
	sites: 'GET /api/v1/sites',
};

export const CATEGORIES = ['resident', 'industrial', 'commercial', 'public', 'special'];
const CATEGORY_COLOR = { resident: 'blue', industrial: 'purple', commercial: 'cyan', public: 'green', special: 'orange' };
export const METER_LOCATIONS = ['indoor', 'outdoor', 'unknown'];
export const METER_TYPES = ['diaphragm', 'ic_card', 'iot', 'other', 'unknown'];
export const FLAGS = ['vulnerable', 'group_rental', 'vacant', 'first_conversion'];
const FLAG_COLOR = { vulnerable: 'red', group_rental: 'orange', vacant: 'default', first_conversion: 'purple' };
export const STATUSES = ['active', 'closed'];
/* the optional text fields, as the form and the API name them */
const TEXTS = ['room', 'address', 'meter_no', 'notes'];

const opts = (prefix, codes) => codes.map((c) => ({ value: c, label: t(`${prefix}.${c}`) }));
const withAll = (list) => [{ value: '', label: t('common.all') }, ...list];

export const categoryTag = (c) => tag(t(`hh.category.${c}`), CATEGORY_COLOR[c] || 'default', { 'data-category': c });
const flagTags = (flags) => ((flags || []).length ? h('div', { class: 'tags' }, flags.map((f) => tag(t(`hh.flag.${f}`), FLAG_COLOR[f] || 'default', { 'data-flag': f }))) : '');
const statusTag = (s) => (s === 'closed' ? tag(t('hh.status.closed'), 'default', { 'data-status': s }) : tag(t('hh.status.active'), 'green', { 'data-status': s }));

export async function render({ el, query }) {
	/* ---- list ---- */
	const columns = [
		{
			key: 'account_no',
			title: t('hh.accountNo'),
			sortKey: 'account_no',
			nowrap: true,
			render: (r) => (can(P.read) ? h('button', { type: 'button', class: 'link', 'data-testid': 'hh-open', onclick: () => showDetail(r.id) }, r.account_no) : r.account_no),
		},
		{ key: 'name', title: t('hh.name'), sortKey: 'name', render: (r) => h('span', { 'data-testid': 'hh-name' }, r.name) },
		{ key: 'phone', title: t('hh.phone'), nowrap: true, render: (r) => r.phone || '' },
		{ key: 'address', title: t('hh.address'), cls: 'col-wide', render: (r) => r.address || r.site_path || '' },
		{ key: 'category', title: t('hh.category'), render: (r) => categoryTag(r.category) },
		{ key: 'flags', title: t('hh.flags'), render: (r) => flagTags(r.flags) },
		{ key: 'status', title: t('hh.status'), render: (r) => statusTag(r.status) },
		{ key: 'updated_at', title: t('common.updatedAt'), sortKey: 'updated_at', nowrap: true, render: (r) => fmtDateTime(r.updated_at) },
		can(P.read) || can(P.update) ? { key: 'actions', title: t('common.actions'), cls: 'col-actions col-actions-tight', render: rowActions } : null,
	].filter(Boolean);

	const shortQuery = (q) => [1, 2].includes([...(q || '').replace(/\s/g, '')].length);
	const list = new ListView({
		fetch: (q) => api.get('/households', q),
		columns,
		/* one or two characters match names and accounts only: say so when
		   that found nothing ("3栋" is an address, which needs three) */
		empty: (state) => (shortQuery(state.filters.q) ? t('hh.emptyShort') : t('hh.empty')),
		testid: 'households-list',
		caption: t('nav.households'),
		rowClass: (r) => (r.status === 'closed' ? 'is-muted' : null),
		/* a search answers in id order (docs/api.md): no sorting while one is on */
		sortable: (state) => !state.filters.q,
	});

	const site = can(P.sites) ? sitePicker({ mode: 'filter', testid: 'hh-site-filter' }) : null;
	const filters = new Form(
		[
			{ name: 'q', label: t('hh.search'), placeholder: t('hh.searchPlaceholder'), help: t('hh.searchHint'), maxlength: 64, cls: 'form-item-wide' },
			{ name: 'category', label: t('hh.category'), type: 'select', options: withAll(opts('hh.category', CATEGORIES)) },
			{ name: 'flag', label: t('hh.flag'), type: 'select', options: withAll(opts('hh.flag', FLAGS)) },
			{ name: 'status', label: t('hh.status'), type: 'select', options: withAll(opts('hh.status', STATUSES)) },
			site ? { name: 'site_id', label: t('hh.site'), type: 'custom', control: site, cls: 'form-item-wide' } : null,
		].filter(Boolean),
		{ layout: 'inline', testid: 'households-filter' },
	);
	restoreFilters(filters, query, ['site_id']);
	const siteId = Number(query.get('site_id')) || 0;

	/* without the sites route there is no picker, but a site_id link still filters */
	const current = () => (site || !siteId ? filters.values() : { ...filters.values(), site_id: siteId });
	const search = async () => {
		filters.clearErrors();
		await list.search(current());
		if (!list.page && list.lastError) filters.showError(list.lastError);
	};

	const actions = [
		can(P.create) ? button(t('hh.new'), { kind: 'primary', icon: 'plus', onClick: () => openForm(null), testid: 'hh-new' }) : null,
		can(P.import) ? h('a', { class: 'btn btn-default', href: '#/import?kind=households', 'data-testid': 'hh-import' }, icon('upload'), h('span', null, t('nav.import'))) : null,
		exportButtons({ path: '/households', query: () => list.exportQuery(), base: 'households', testid: 'hh-export' }),
	];
	el.append(
		pageHeader(t('nav.households'), { desc: t(session.tenant && session.tenant.kind === 'gas' ? 'hh.desc.gas' : 'hh.desc'), actions }),
		filterBar(filters, {
			onSearch: search,
			onReset: async () => {
				if (site) await site.set(0);
				search();
			},
		}),
		card(null, list.el, { cls: 'card-table' }),
	);
	if (site && siteId) {
		try {
			await site.set(siteId);
		} catch (err) {
			toast.error(err.message);
		}
		/* the filter shows where the list comes from, also on a phone */
		const more = el.querySelector('[data-testid=filter-toggle]');
		if (more && el.querySelector('.filter-bar.is-collapsed')) more.click();
	}
	await search();
	const openId = takeFromAddress('id');
	if (openId > 0 && can(P.read)) showDetail(openId);

	/* ---- row actions ---- */
	function rowActions(r) {
		const acts = [];
		if (can(P.read)) acts.push(button(t('common.details'), { kind: 'link', size: 'sm', onClick: () => showDetail(r.id), testid: 'hh-detail-btn' }));
		if (can(P.update)) acts.push(button(t('common.edit'), { kind: 'link', size: 'sm', onClick: () => openForm(r.id), testid: 'hh-edit' }));
		return h('div', { class: 'row-actions' }, acts);
	}

	/* ---- detail ---- */
	async function showDetail(id) {
		const body = h('div', null, spinner());
		const drawer = openDrawer({ title: t('hh.detail'), content: body, testid: 'hh-detail', width: 600 });
		try {
			const r = await api.get(`/households/${id}`);
			const phone = personalField({ value: r.phone, label: t('hh.phone'), testid: 'hh-phone', revealable: mayReveal('households', 'phone'), load: revealPhones });
			const phone2 = personalField({ value: r.phone2, label: t('hh.phone2'), testid: 'hh-phone2', revealable: mayReveal('households', 'phone'), load: revealPhones });
			const idNumber = personalField({
				value: r.id_number,
				label: t('hh.idNumber'),
				testid: 'hh-id-number',
				revealable: mayReveal('households', 'id_number'),
				load: async () => idNumber.show((await api.get(`/households/${id}`, { reveal: 'id_number' })).id_number),
			});
			async function revealPhones() {
				const full = await api.get(`/households/${id}`, { reveal: 'phone' });
				phone.show(full.phone);
				phone2.show(full.phone2);
			}
			const anyReveal = phone.revealable || phone2.revealable || idNumber.revealable;
			setChildren(
				body,
				h('div', { class: 'drawer-subtitle' }, h('strong', { 'data-testid': 'hh-detail-name' }, r.name), ' ', h('span', { class: 'text-secondary' }, r.account_no), ' ', statusTag(r.status)),
				h('h3', { class: 'section-title section-first' }, t('hh.section.basic')),
				descriptions(
					[
						[t('hh.accountNo'), h('span', { 'data-testid': 'hh-detail-account' }, r.account_no)],
						[t('hh.name'), r.name],
						[t('hh.category'), categoryTag(r.category)],
						[t('hh.flags'), flagTags(r.flags)],
						[t('hh.status'), statusTag(r.status)],
					],
					{ cols: 1 },
				),
				h('h3', { class: 'section-title' }, t('hh.section.personal')),
				descriptions(
					[
						/* a field the reader may not see at all is left out of the answer */
						'phone' in r ? [t('hh.phone'), phone.el] : null,
						'phone2' in r ? [t('hh.phone2'), phone2.el] : null,
						'id_number' in r ? [t('hh.idNumber'), idNumber.el] : null,
					],
					{ cols: 1 },
				),
				anyReveal ? h('p', { class: 'form-help pii-note' }, icon('info'), ' ', t('pii.revealAudited')) : null,
				h('h3', { class: 'section-title' }, t('hh.section.address')),
				descriptions(
					[
						[t('hh.site'), r.site_path || ''],
						[t('hh.room'), r.room || ''],
						[t('hh.address'), r.address || ''],
					],
					{ cols: 1 },
				),
				h('h3', { class: 'section-title' }, t('hh.section.meter')),
				descriptions(
					[
						[t('hh.meterLocation'), t(`hh.meterLocation.${r.meter_location || 'unknown'}`)],
						[t('hh.meterType'), t(`hh.meterType.${r.meter_type || 'unknown'}`)],
						[t('hh.meterNo'), r.meter_no || ''],
					],
					{ cols: 1 },
				),
				h('h3', { class: 'section-title' }, t('hh.section.other')),
				descriptions(
					[
						[t('hh.notes'), r.notes ? h('span', { class: 'pre-line' }, r.notes) : ''],
						[t('common.createdAt'), fmtDateTime(r.created_at)],
						[t('common.updatedAt'), fmtDateTime(r.updated_at)],
						[t('common.version'), String(r.version)],
					],
					{ cols: 1 },
				),
			);
			if (can(P.update))
				drawer.setFooter([
					button(t('common.close'), { onClick: () => drawer.close() }),
					button(t('common.edit'), {
						kind: 'primary',
						testid: 'hh-detail-edit',
						onClick: () => {
							drawer.close();
							openForm(id);
						},
					}),
				]);
		} catch (err) {
			body.replaceChildren(errorState(err, () => {
				drawer.close();
				showDetail(id);
			}));
		}
	}

	/* ---- create and edit ---- */
	function openForm(id) {
		const editing = Boolean(id);
		let current = null;
		const picker = can(P.sites) ? sitePicker({ mode: 'form', testid: 'hh-site' }) : null;
		/* The site goes into a save only when its user chose one: a picker
		   that showed the record's site half-way (its requests cut short —
		   a session ending, the network) would otherwise move the household
		   to the estate it got as far as. Set from code, a select fires no
		   change. */
		let siteChosen = false;
		if (picker) picker.el.addEventListener('change', () => (siteChosen = true));
		const fields = [
			editing ? null : { name: 'account_no', label: t('hh.accountNo'), required: true, maxlength: 32, help: t('hh.accountNoHelp') },
			{ name: 'name', label: t('hh.name'), required: true, maxlength: 64 },
			{ name: 'category', label: t('hh.category'), type: 'select', required: true, options: [{ value: '', label: t('common.choose') }, ...opts('hh.category', CATEGORIES)] },
			{ name: 'phone', label: t('hh.phone'), type: 'tel', maxlength: 20, inputmode: 'tel', help: editing ? t('pii.maskedHelp') : null },
			{ name: 'phone2', label: t('hh.phone2'), type: 'tel', maxlength: 20, inputmode: 'tel' },
			picker ? { name: 'site_id', label: t('hh.site'), type: 'custom', control: picker } : null,
			{ name: 'room', label: t('hh.room'), maxlength: 32, placeholder: t('hh.roomPlaceholder') },
			{ name: 'address', label: t('hh.address'), maxlength: 200, help: t('hh.addressHelp') },
			{ name: 'meter_location', label: t('hh.meterLocation'), type: 'select', options: opts('hh.meterLocation', METER_LOCATIONS), value: 'unknown' },
			{ name: 'meter_type', label: t('hh.meterType'), type: 'select', options: opts('hh.meterType', METER_TYPES), value: 'unknown' },
			{ name: 'meter_no', label: t('hh.meterNo'), maxlength: 32 },
			{ name: 'flags', label: t('hh.flags'), type: 'checkboxes', options: opts('hh.flag', FLAGS) },
			{ name: 'id_number', label: t('hh.idNumber'), maxlength: 18, autocomplete: 'off', help: editing ? t('pii.maskedHelp') : t('hh.idNumberHelp') },
			editing ? { name: 'status', label: t('hh.status'), type: 'select', options: opts('hh.status', STATUSES) } : null,
			{ name: 'notes', label: t('hh.notes'), type: 'textarea', maxlength: 500 },
			{ name: 'reason', label: t('common.reason'), type: 'textarea', maxlength: 200, placeholder: t('common.reasonHint') },
		].filter(Boolean);
		const submit = button(editing ? t('common.save') : t('common.create'), { kind: 'primary', testid: 'hh-submit', disabled: editing, onClick: () => form.el.requestSubmit() });
		const form = new Form(fields, { testid: 'hh-form', onSubmit: () => busy(submit, editing ? save : create) });
		const head = h('div', { class: 'drawer-subtitle' });
		const body = h('div', null, editing ? spinner() : form.el);
		const drawer = editDrawer({
			title: editing ? t('hh.edit') : t('hh.new'),
			content: body,
			testid: editing ? 'hh-edit-drawer' : 'hh-create',
			width: 600,
			submit,
			form: () => form,
		});

		async function create() {
			if (!form.validate()) return;
			const v = form.values();
			const b = { account_no: v.account_no, name: v.name, category: v.category };
			for (const f of ['phone', 'phone2', ...TEXTS, 'id_number', 'reason']) if (v[f]) b[f] = v[f];
			if (v.site_id) b.site_id = v.site_id;
			b.meter_location = v.meter_location;
			b.meter_type = v.meter_type;
			if (v.flags.length) b.flags = v.flags;
			try {
				const r = await api.post('/households', b);
				toast.success(t('hh.created', { name: r.name, account: r.account_no }));
				drawer.close();
				list.reload();
			} catch (err) {
				form.showError(err);
			}
		}

		function fill(r) {
			current = r;
			head.replaceChildren(h('strong', null, r.account_no), ' ', h('span', null, r.name), ' ', h('span', { class: 'text-secondary' }, t('common.versionN', { n: r.version })));
			const vals = { name: r.name, category: r.category, phone: r.phone || '', phone2: r.phone2 || '', meter_location: r.meter_location || 'unknown', meter_type: r.meter_type || 'unknown', flags: r.flags || [], id_number: r.id_number || '', status: r.status, reason: '' };
			for (const f of TEXTS) vals[f] = r[f] || '';
			form.setValues(vals);
			for (const f of ['phone', 'phone2', 'id_number']) form.items.get(f).item.hidden = !(f in r);
			form.markClean();
			/* the site shows a moment later: the form is clean with it, unless
			   its user has typed meanwhile */
			if (picker)
				picker
					.set(r.site_id || 0)
					.then(() => form.edited || form.markClean())
					.catch((err) => toast.error(err.message));
		}

		async function save() {
			if (!form.validate()) return;
			const v = form.values();
			const patch = { version: current.version };
			for (const f of ['name', 'category', 'meter_location', 'meter_type', 'status']) if (v[f] !== current[f]) patch[f] = v[f];
			for (const f of TEXTS) if (v[f] !== (current[f] || '')) patch[f] = v[f] === '' ? null : v[f];
			for (const f of ['phone', 'phone2', 'id_number']) {
				if (!(f in current)) continue;
				const m = maskedEdit(v[f], current[f]);
				if (m.error) {
					form.setError(f, m.error);
					form.focus(f);
					return;
				}
				if (!m.skip) patch[f] = m.value;
			}
			if (picker && siteChosen && (v.site_id || 0) !== (current.site_id || 0)) patch.site_id = v.site_id || null;
			if ([...v.flags].sort().join() !== [...(current.flags || [])].sort().join()) patch.flags = v.flags;
			if (Object.keys(patch).length === 1) {
				form.alert('info', t('common.noChanges'));
				return;
			}
			if (v.reason) patch.reason = v.reason;
			const r = await savePatch(`/households/${id}`, patch, { form, fill, onConflict: () => list.reload() });
			if (!r) return;
			toast.success(t('hh.saved', { name: r.name, account: r.account_no }));
			drawer.close();
			list.reload();
		}

		if (editing)
			api.get(`/households/${id}`)
				.then((r) => {
					fill(r);
					body.replaceChildren(head, form.el);
					submit.disabled = false;
					form.focus('name');
				})
				.catch((err) => body.replaceChildren(errorState(err)));
	}
}
