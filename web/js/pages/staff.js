/*
 * staff.js — staff profiles (SPEC S1), own staff and subcontractors': a
 * search over name, staff number, badge number and phone, filters
 * (status, level, employment, job type), sorting, paging and export;
 * details with the masked phone and ID number and a "show" button for
 * the roles that may see them in full (SPEC X5); create and edit in
 * drawers, job types as a multiple choice. A stale edit gets the
 * server's version_conflict and the drawer reloads the record (SPEC X3).
 *
 * Each worker's personal file (个人档案: hiring, documents, trainings,
 * certificates, discipline, badge) is its own page, #/staff/:id
 * (stafffile.js); the list links to it. #/staff?id=… opens one worker's
 * details here, #/staff?edit=… the edit drawer. The form (openStaffForm)
 * is shared with the personal file.
 */
import { h, icon, setChildren } from '../dom.js';
import { t } from '../i18n.js';
import { api, upload } from '../api.js';
import { can } from '../session.js';
import { fmtDateTime } from '../format.js';
import { ListView, restoreFilters, takeFromAddress } from '../list.js';
import { savePatch } from '../edit.js';
import { exportButtons } from '../export.js';
import { personalField, mayReveal, maskedEdit } from '../personal.js';
import { Form, button, busy, tag, card, pageHeader, filterBar, openDrawer, editDrawer, toast, descriptions, spinner, errorState } from '../ui.js';

const P = {
	read: 'GET /api/v1/staff/:id',
	create: 'POST /api/v1/staff',
	update: 'PATCH /api/v1/staff/:id',
	photo: 'PUT /api/v1/staff/:id/photo',
	import: 'POST /api/v1/imports/staff',
	users: 'GET /api/v1/users',
	list: 'GET /api/v1/staff',
	file: 'GET /api/v1/staff/:id/record',
};

export const EMPLOYMENTS = ['own', 'subcontractor'];
export const JOB_TYPES = ['inspector', 'repairer', 'cleaner', 'domestic', 'carer', 'community', 'interviewer', 'electrician', 'welder', 'other'];
export const LEVELS = ['junior', 'middle', 'senior'];
export const STATUSES = ['candidate', 'active', 'suspended', 'left', 'dismissed', 'blacklisted'];
/* From each status, those an edit may give (the server's road, store_staff.c). */
const STATUS_NEXT = {
	candidate: ['candidate', 'active', 'left'],
	active: ['active', 'left'],
	suspended: ['suspended', 'left'],
	left: ['left', 'candidate'],
	dismissed: ['dismissed', 'candidate'],
	blacklisted: ['blacklisted'],
};
const STATUS_COLOR = { candidate: 'blue', active: 'green', suspended: 'orange', left: 'default', dismissed: 'red', blacklisted: 'red' };
const TEXTS = ['employer', 'badge_no', 'notes'];

const opts = (prefix, codes) => codes.map((c) => ({ value: c, label: t(`${prefix}.${c}`) }));
const withAll = (list) => [{ value: '', label: t('common.all') }, ...list];

export const statusTag = (s) => tag(t(`staff.status.${s}`), STATUS_COLOR[s] || 'default', { 'data-status': s });
export const jobTags = (list) => ((list || []).length ? h('div', { class: 'tags' }, list.map((j) => tag(t(`staff.job.${j}`), 'blue', { 'data-job': j }))) : '');
export const employmentTag = (e) => tag(t(`staff.employment.${e}`), e === 'own' ? 'cyan' : 'purple', { 'data-employment': e });
const userLabel = (u) => t('staff.userOption', { name: u.display_name, username: u.username });

/* accounts a staff member may sign in with: for the form's select and the details */
function accountLoader() {
	let promise = null;
	return () => {
		if (!can(P.users)) return Promise.resolve([]);
		if (!promise)
			promise = api
				.get('/users', { limit: 200, sort: 'username', order: 'asc' })
				.then((p) => p.items)
				.catch((e) => {
					promise = null;
					throw e;
				});
		return promise;
	};
}

export async function render({ el, query }) {
	const users = accountLoader();

	/* ---- list ---- */
	const columns = [
		{
			key: 'staff_no',
			title: t('staff.staffNo'),
			sortKey: 'staff_no',
			nowrap: true,
			render: (r) => (can(P.read) ? h('button', { type: 'button', class: 'link', 'data-testid': 'staff-open', onclick: () => showDetail(r.id) }, r.staff_no) : r.staff_no),
		},
		{
			key: 'name',
			title: t('staff.name'),
			sortKey: 'name',
			render: (r) => (can(P.file) ? h('a', { href: `#/staff/${r.id}`, 'data-testid': 'staff-file-link' }, h('span', { 'data-testid': 'staff-name' }, r.name)) : h('span', { 'data-testid': 'staff-name' }, r.name)),
		},
		{ key: 'phone', title: t('staff.phone'), nowrap: true, render: (r) => r.phone || '' },
		{ key: 'employment', title: t('staff.employment'), render: (r) => h('div', { class: 'cell-stack' }, employmentTag(r.employment), r.employer ? h('span', { class: 'text-secondary small' }, r.employer) : null) },
		{ key: 'job_types', title: t('staff.jobTypes'), render: (r) => jobTags(r.job_types) },
		{ key: 'level', title: t('staff.level'), nowrap: true, render: (r) => t(`staff.level.${r.level}`) },
		{ key: 'badge_no', title: t('staff.badgeNo'), nowrap: true, render: (r) => r.badge_no || '' },
		{ key: 'status', title: t('staff.status'), render: (r) => statusTag(r.status) },
		{ key: 'updated_at', title: t('common.updatedAt'), sortKey: 'updated_at', nowrap: true, render: (r) => fmtDateTime(r.updated_at) },
		can(P.read) || can(P.update) ? { key: 'actions', title: t('common.actions'), cls: 'col-actions col-actions-tight', render: rowActions } : null,
	].filter(Boolean);

	const list = new ListView({
		fetch: (q) => api.get('/staff', q),
		columns,
		empty: t('staff.empty'),
		testid: 'staff-list',
		caption: t('nav.staff'),
		rowClass: (r) => (['left', 'dismissed', 'blacklisted'].includes(r.status) ? 'is-muted' : null),
	});

	const filters = new Form(
		[
			{ name: 'q', label: t('staff.search'), placeholder: t('staff.searchHint'), maxlength: 64 },
			{ name: 'status', label: t('staff.status'), type: 'select', options: withAll(opts('staff.status', STATUSES)) },
			{ name: 'level', label: t('staff.level'), type: 'select', options: withAll(opts('staff.level', LEVELS)) },
			{ name: 'employment', label: t('staff.employment'), type: 'select', options: withAll(opts('staff.employment', EMPLOYMENTS)) },
			{ name: 'job_type', label: t('staff.jobType'), type: 'select', options: withAll(opts('staff.job', JOB_TYPES)) },
		],
		{ layout: 'inline', testid: 'staff-filter' },
	);
	restoreFilters(filters, query);

	const search = async () => {
		filters.clearErrors();
		await list.search(filters.values());
		if (!list.page && list.lastError) filters.showError(list.lastError);
	};

	el.append(
		pageHeader(t('nav.staff'), {
			desc: t('staff.desc'),
			actions: [
				can(P.create) ? button(t('staff.new'), { kind: 'primary', icon: 'plus', onClick: () => openForm(null), testid: 'staff-new' }) : null,
				can('GET /api/v1/certificates') ? h('a', { class: 'btn btn-default', href: '#/certificates', 'data-testid': 'staff-certs' }, icon('cert'), h('span', null, t('nav.certificates'))) : null,
				can(P.import) ? h('a', { class: 'btn btn-default', href: '#/import?kind=staff', 'data-testid': 'staff-import' }, icon('upload'), h('span', null, t('nav.import'))) : null,
				exportButtons({ path: '/staff', query: () => list.exportQuery(), base: 'staff', testid: 'staff-export' }),
			],
		}),
		filterBar(filters, { onSearch: search, onReset: search }),
		card(null, list.el, { cls: 'card-table' }),
	);
	await search();
	const openId = takeFromAddress('id');
	if (openId > 0 && can(P.read)) showDetail(openId);
	const editId = takeFromAddress('edit');
	if (editId > 0 && can(P.update)) openForm(editId);

	function openForm(id) {
		return openStaffForm(id, { onSaved: () => list.reload(), onConflict: () => list.reload(), users });
	}

	function rowActions(r) {
		const acts = [];
		if (can(P.file)) acts.push(h('a', { class: 'btn btn-link btn-sm', href: `#/staff/${r.id}`, 'data-testid': 'staff-file-btn' }, h('span', null, t('staff.file'))));
		if (can(P.read)) acts.push(button(t('common.details'), { kind: 'link', size: 'sm', onClick: () => showDetail(r.id), testid: 'staff-detail-btn' }));
		if (can(P.update)) acts.push(button(t('common.edit'), { kind: 'link', size: 'sm', onClick: () => openForm(r.id), testid: 'staff-edit' }));
		return h('div', { class: 'row-actions' }, acts);
	}

	/* ---- detail ---- */
	async function showDetail(id) {
		const body = h('div', null, spinner());
		const drawer = openDrawer({ title: t('staff.detail'), content: body, testid: 'staff-detail', width: 600 });
		try {
			const r = await api.get(`/staff/${id}`);
			const phone = personalField({
				value: r.phone,
				label: t('staff.phone'),
				testid: 'staff-phone',
				revealable: mayReveal('staff', 'phone'),
				load: async () => phone.show((await api.get(`/staff/${id}`, { reveal: 'phone' })).phone),
			});
			const idNumber = personalField({
				value: r.id_number,
				label: t('staff.idNumber'),
				testid: 'staff-id-number',
				revealable: mayReveal('staff', 'id_number'),
				load: async () => idNumber.show((await api.get(`/staff/${id}`, { reveal: 'id_number' })).id_number),
			});
			const account = h('span', { 'data-testid': 'staff-user' }, r.user_id ? `#${r.user_id}` : '');
			if (r.user_id)
				users()
					.then((list) => {
						const u = list.find((x) => x.id === r.user_id);
						if (u) account.textContent = userLabel(u);
					})
					.catch(() => {});
			setChildren(
				body,
				h('div', { class: 'drawer-subtitle' }, h('strong', { 'data-testid': 'staff-detail-name' }, r.name), ' ', h('span', { class: 'text-secondary' }, r.staff_no), ' ', statusTag(r.status)),
				h('h3', { class: 'section-title section-first' }, t('staff.section.basic')),
				descriptions(
					[
						[t('staff.staffNo'), h('span', { 'data-testid': 'staff-detail-no' }, r.staff_no)],
						[t('staff.name'), r.name],
						[t('staff.birthDate'), r.birth_date || ''],
						[t('staff.status'), statusTag(r.status)],
					],
					{ cols: 1 },
				),
				h('h3', { class: 'section-title' }, t('staff.section.personal')),
				descriptions(
					[
						'phone' in r ? [t('staff.phone'), phone.el] : null,
						'id_number' in r ? [t('staff.idNumber'), idNumber.el] : null,
					],
					{ cols: 1 },
				),
				phone.revealable || idNumber.revealable ? h('p', { class: 'form-help pii-note' }, icon('info'), ' ', t('pii.revealAudited')) : null,
				h('h3', { class: 'section-title' }, t('staff.section.work')),
				descriptions(
					[
						[t('staff.employment'), employmentTag(r.employment)],
						[t('staff.employer'), r.employer || ''],
						[t('staff.jobTypes'), jobTags(r.job_types)],
						[t('staff.level'), t(`staff.level.${r.level}`)],
						[t('staff.badgeNo'), r.badge_no || ''],
						[t('staff.user'), account],
					],
					{ cols: 1 },
				),
				h('h3', { class: 'section-title' }, t('staff.section.photo')),
				photoBlock(r, () => {
					drawer.close();
					showDetail(id);
				}),
				h('h3', { class: 'section-title' }, t('staff.section.other')),
				descriptions(
					[
						[t('staff.notes'), r.notes ? h('span', { class: 'pre-line' }, r.notes) : ''],
						[t('common.createdAt'), fmtDateTime(r.created_at)],
						[t('common.updatedAt'), fmtDateTime(r.updated_at)],
						[t('common.version'), String(r.version)],
					],
					{ cols: 1 },
				),
			);
			const foot = [button(t('common.close'), { onClick: () => drawer.close() })];
			if (can(P.file))
				foot.push(
					button(t('staff.file'), {
						icon: 'file',
						testid: 'staff-detail-file',
						onClick: () => {
							drawer.close();
							location.hash = `#/staff/${id}`;
						},
					}),
				);
			if (can(P.update))
				foot.push(
					button(t('common.edit'), {
						kind: 'primary',
						testid: 'staff-detail-edit',
						onClick: () => {
							drawer.close();
							openForm(id);
						},
					}),
				);
			drawer.setFooter(foot);
		} catch (err) {
			body.replaceChildren(errorState(err));
		}
	}
}

/* The photo the badge card will print, and its upload (JPEG or PNG;
 * the server reads what the bytes really are). */
export function photoBlock(r, reload) {
	const img = r.photo ? h('img', { class: 'staff-photo', src: `/api/v1/staff/${r.id}/photo`, alt: r.name, 'data-testid': 'staff-photo' }) : h('span', { class: 'text-secondary' }, t('staff.noPhoto'));
	if (!can(P.photo)) return h('div', { class: 'staff-photo-block' }, img);
	const input = h('input', { type: 'file', accept: 'image/jpeg,image/png', hidden: true, 'data-testid': 'staff-photo-input' });
	input.addEventListener('change', async () => {
		const file = input.files && input.files[0];
		if (!file) return;
		try {
			await upload(`/staff/${r.id}/photo`, file, { query: { version: r.version }, contentType: file.type || 'application/octet-stream', method: 'PUT' });
			toast(t('staff.photoSaved'), 'success');
			reload();
		} catch (err) {
			toast(err.message, 'error');
		}
	});
	return h('div', { class: 'staff-photo-block' }, img, input, button(t('staff.uploadPhoto'), { size: 'sm', testid: 'staff-photo-upload', onClick: () => input.click() }));
}

/* ---- create and edit ---- */

/*
 * The create (id null) or edit drawer. onSaved(record) after a save;
 * onConflict after a stale save reloaded the form; users: an account
 * loader to share with the caller (one is made otherwise).
 */
export async function openStaffForm(id, { onSaved, onConflict, users = accountLoader() } = {}) {
	const editing = Boolean(id);
	let current = null;
	let form = null;
	const body = h('div', null, spinner());
	const submit = button(editing ? t('common.save') : t('common.create'), { kind: 'primary', testid: 'staff-submit', disabled: true, onClick: () => form && form.el.requestSubmit() });
	const drawer = editDrawer({
		title: editing ? t('staff.edit') : t('staff.new'),
		content: body,
		testid: editing ? 'staff-edit-drawer' : 'staff-create',
		width: 600,
		submit,
		form: () => form,
	});
	const head = h('div', { class: 'drawer-subtitle' });

	let accounts = [];
	try {
		accounts = await users();
	} catch {
		/* the account select offers none; the rest of the form works */
	}
	/* the senior workers who may supervise this one (S6: 高级 … 负责督导) */
	let seniors = [];
	if (can(P.list))
		try {
			seniors = (await api.get('/staff', { level: 'senior', status: 'active', sort: 'name', order: 'asc', limit: 200 })).items.filter((x) => x.id !== Number(id));
		} catch {
			/* the select offers none; the rest of the form works */
		}
	const supervisorField = can(P.list)
		? {
				name: 'supervisor_id',
				label: t('staff.supervisor'),
				type: 'select',
				options: [{ value: '', label: t('staff.noSupervisor') }, ...seniors.map((x) => ({ value: String(x.id), label: t('staff.supervisorOption', { name: x.name, no: x.staff_no }) }))],
				help: t('staff.supervisorHelp'),
			}
		: null;
	const userField = can(P.users)
		? { name: 'user_id', label: t('staff.user'), type: 'select', options: [{ value: '', label: t('staff.noUser') }, ...accounts.map((u) => ({ value: String(u.id), label: userLabel(u) }))], help: t('staff.userHelp') }
		: null;
	const fields = [
		editing ? null : { name: 'staff_no', label: t('staff.staffNo'), required: true, maxlength: 32, help: t('staff.staffNoHelp') },
		{ name: 'name', label: t('staff.name'), required: true, maxlength: 64 },
		{ name: 'employment', label: t('staff.employment'), type: 'select', required: true, options: [{ value: '', label: t('common.choose') }, ...opts('staff.employment', EMPLOYMENTS)] },
		{ name: 'employer', label: t('staff.employer'), maxlength: 64, help: t('staff.employerHelp') },
		{ name: 'level', label: t('staff.level'), type: 'select', required: true, options: [{ value: '', label: t('common.choose') }, ...opts('staff.level', LEVELS)] },
		{ name: 'job_types', label: t('staff.jobTypes'), type: 'checkboxes', options: opts('staff.job', JOB_TYPES) },
		/* a new worker is a candidate (hiring decides the rest) or, known
		 * to be unfit, blacklisted; the server refuses anything else */
		{ name: 'status', label: t('staff.status'), type: 'select', options: opts('staff.status', editing ? STATUSES : ['candidate', 'blacklisted']), value: 'candidate' },
		{ name: 'phone', label: t('staff.phone'), type: 'tel', maxlength: 20, inputmode: 'tel', help: editing ? t('pii.maskedHelp') : null },
		{ name: 'id_number', label: t('staff.idNumber'), maxlength: 18, autocomplete: 'off', help: editing ? t('pii.maskedHelp') : t('staff.idNumberHelp') },
		{ name: 'birth_date', label: t('staff.birthDate'), type: 'date', help: t('staff.birthDateHelp') },
		{ name: 'badge_no', label: t('staff.badgeNo'), maxlength: 32, help: t('staff.badgeNoHelp') },
		supervisorField,
		userField,
		{ name: 'notes', label: t('staff.notes'), type: 'textarea', maxlength: 500 },
		{ name: 'reason', label: t('common.reason'), type: 'textarea', maxlength: 200, placeholder: t('common.reasonHint') },
	].filter(Boolean);
	form = new Form(fields, { testid: 'staff-form', onSubmit: () => busy(submit, editing ? save : create) });

	async function create() {
		if (!form.validate()) return;
		const v = form.values();
		const b = { staff_no: v.staff_no, name: v.name, employment: v.employment, level: v.level, status: v.status };
		for (const f of ['phone', 'id_number', 'birth_date', ...TEXTS, 'reason']) if (v[f]) b[f] = v[f];
		if (v.job_types.length) b.job_types = v.job_types;
		if (v.user_id) b.user_id = Number(v.user_id);
		if (v.supervisor_id) b.supervisor_id = Number(v.supervisor_id);
		try {
			const r = await api.post('/staff', b);
			toast.success(t('staff.created', { name: r.name, no: r.staff_no }));
			drawer.close();
			if (onSaved) onSaved(r);
		} catch (err) {
			form.showError(err);
		}
	}

	/* A birth date masked with the ID number ("1985-**-**") is not a
	 * value the form can hold or send back: shown as empty, kept unless
	 * the user enters one. */
	const birthOf = (r) => (r.birth_date && !r.birth_date.includes('*') ? r.birth_date : '');

	function fill(r) {
		current = r;
		/* the statuses an edit may give: sanctions and their lifting are
		   discipline entries in the personal file (S6); the server says so
		   too */
		const st = form.field('status');
		st.replaceChildren(...(STATUS_NEXT[r.status] || [r.status]).map((c) => h('option', { value: c }, t(`staff.status.${c}`))));
		head.replaceChildren(h('strong', null, r.staff_no), ' ', h('span', null, r.name), ' ', h('span', { class: 'text-secondary' }, t('common.versionN', { n: r.version })));
		const sel = form.field('user_id');
		if (sel && r.user_id && ![...sel.options].some((o) => o.value === String(r.user_id))) sel.appendChild(h('option', { value: String(r.user_id) }, `#${r.user_id}`));
		const sup = form.field('supervisor_id');
		if (sup && r.supervisor_id && ![...sup.options].some((o) => o.value === String(r.supervisor_id))) sup.appendChild(h('option', { value: String(r.supervisor_id) }, `#${r.supervisor_id}`));
		const vals = { name: r.name, employment: r.employment, level: r.level, job_types: r.job_types || [], status: r.status, phone: r.phone || '', id_number: r.id_number || '', birth_date: birthOf(r), user_id: r.user_id ? String(r.user_id) : '', supervisor_id: r.supervisor_id ? String(r.supervisor_id) : '', reason: '' };
		for (const f of TEXTS) vals[f] = r[f] || '';
		form.setValues(vals);
		form.markClean();
		for (const f of ['phone', 'id_number']) form.items.get(f).item.hidden = !(f in r);
	}

	async function save() {
		if (!form.validate()) return;
		const v = form.values();
		const patch = { version: current.version };
		for (const f of ['name', 'employment', 'level', 'status']) if (v[f] !== current[f]) patch[f] = v[f];
		for (const f of TEXTS) if (v[f] !== (current[f] || '')) patch[f] = v[f] === '' ? null : v[f];
		if (v.birth_date !== birthOf(current) && !(v.birth_date === '' && birthOf(current) === '' && current.birth_date))
			patch.birth_date = v.birth_date === '' ? null : v.birth_date;
		for (const f of ['phone', 'id_number']) {
			if (!(f in current)) continue;
			const m = maskedEdit(v[f], current[f]);
			if (m.error) {
				form.setError(f, m.error);
				form.focus(f);
				return;
			}
			if (!m.skip) patch[f] = m.value;
		}
		if ([...v.job_types].sort().join() !== [...(current.job_types || [])].sort().join()) patch.job_types = v.job_types;
		if (form.has('user_id') && Number(v.user_id || 0) !== (current.user_id || 0)) patch.user_id = v.user_id ? Number(v.user_id) : null;
		if (form.has('supervisor_id') && Number(v.supervisor_id || 0) !== (current.supervisor_id || 0)) patch.supervisor_id = v.supervisor_id ? Number(v.supervisor_id) : null;
		if (Object.keys(patch).length === 1) {
			form.alert('info', t('common.noChanges'));
			return;
		}
		if (v.reason) patch.reason = v.reason;
		const r = await savePatch(`/staff/${id}`, patch, { form, fill, onConflict });
		if (!r) return;
		toast.success(t('staff.saved', { name: r.name, no: r.staff_no }));
		drawer.close();
		if (onSaved) onSaved(r);
	}

	try {
		if (editing) fill(await api.get(`/staff/${id}`));
		if (editing) body.replaceChildren(head, form.el);
		else body.replaceChildren(form.el);
		submit.disabled = false;
		form.focus(editing ? 'name' : 'staff_no');
	} catch (err) {
		body.replaceChildren(errorState(err));
	}
}
