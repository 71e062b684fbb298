/*
 * assignments.js — sending a worker to a household for a job on a day
 * (派工, SPEC S3), #/assignments: the list, newest day first, filtered by
 * day, worker and status; a drawer to assign (the worker and the
 * household found by typing part of them, the job type, the day, the
 * level — the job rule's unless another is chosen — and a time window);
 * cancelling with a reason.
 *
 * Whether the worker may be sent is the server's decision, taken in the
 * transaction that writes the assignment: a refusal (422 not_eligible)
 * shows the message and every reason; an assignment made despite a
 * warning (a certificate ending within 30 days) shows the warning. While
 * the form is filled in, the same check is asked ahead (GET
 * /staff/:id/eligibility) so the dispatcher sees the answer before sending.
 *
 * #/assignments?staff_id=… lists one worker's, ?day=… one day's;
 * ?assign=… opens the drawer with that worker (the personal file's link),
 * once: it leaves the address as the drawer opens.
 */
import { h, icon } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../session.js';
import { todayIso, fmtDateTime } from '../format.js';
import { ListView, takeFromAddress } from '../list.js';
import { exportButtons } from '../export.js';
import { searchPicker } from '../picker.js';
import { Form, button, tag, card, pageHeader, filterBar, formDrawer, promptText, toast, alertBox } from '../ui.js';
import { JOB_TYPES, LEVELS } from './staff.js';
import { ASSIGNMENT_STATUSES, opts, eligibilityBody, reasonList } from '../fieldstaff.js';

const P = {
	create: 'POST /api/v1/assignments',
	cancel: 'POST /api/v1/assignments/:id/cancel',
	staffList: 'GET /api/v1/staff',
	staff: 'GET /api/v1/staff/:id',
	file: 'GET /api/v1/staff/:id/record',
	households: 'GET /api/v1/households',
	household: 'GET /api/v1/households/:id',
	elig: 'GET /api/v1/staff/:id/eligibility',
	rules: 'GET /api/v1/job-rules',
};

const staffLabel = (s) => t('picker.staff', { name: s.name, no: s.staff_no });
const householdLabel = (x) => t('picker.household', { name: x.name, account: x.account_no });
const statusTag = (s) => tag(t(`asg.status.${s}`), s === 'assigned' ? 'blue' : 'default', { 'data-status': s });

/* A worker or a household found by typing part of it. */
function staffPicker(testid, onChange) {
	return searchPicker({
		testid,
		onChange,
		label: t('asg.staff'),
		placeholder: t('asg.staffHint'),
		search: async (q) =>
			(await api.get('/staff', { q, limit: 10 })).items.map((s) => ({
				id: s.id,
				label: staffLabel(s),
				sub: [t(`staff.status.${s.status}`), t(`staff.level.${s.level}`), ...(s.job_types || []).map((j) => t(`staff.job.${j}`))].join(t('common.listSep')),
				item: s,
			})),
	});
}

function householdPicker(testid) {
	return searchPicker({
		testid,
		label: t('asg.household'),
		placeholder: t('asg.householdHint'),
		search: async (q) => (await api.get('/households', { q, limit: 10 })).items.map((x) => ({ id: x.id, label: householdLabel(x), sub: x.address || x.site_path || '', item: x })),
	});
}

/* "09:00-11:00" from two time inputs; '' when both are empty. */
function timeWindow() {
	const from = h('input', { type: 'time', class: 'input', step: 300, 'aria-label': t('asg.windowFrom'), 'data-part': 'from' });
	const to = h('input', { type: 'time', class: 'input', step: 300, 'aria-label': t('asg.windowTo'), 'data-part': 'to' });
	const el = h('div', { class: 'time-window' }, from, h('span', { class: 'time-sep', 'aria-hidden': 'true' }, '–'), to);
	return {
		el,
		get: () => (from.value || to.value ? `${from.value}-${to.value}` : ''),
		set: (v) => {
			const [a = '', b = ''] = String(v || '').split('-');
			from.value = a;
			to.value = b;
		},
	};
}

export async function render({ el, query }) {
	/* names for the ids an assignment carries: a listed assignment brings
	 * them (staff_name, household_name …); only a bare one (a staff_id
	 * link, a new assignment) is looked up, once */
	const cache = { staff: new Map(), household: new Map() };
	async function resolve(items, { households = true } = {}) {
		for (const a of items) {
			if (a.staff_name !== undefined) cache.staff.set(a.staff_id, { name: a.staff_name, staff_no: a.staff_no });
			if (a.household_name !== undefined) cache.household.set(a.household_id, { name: a.household_name, account_no: a.account_no, address: a.address });
		}
		const want = (kind, ids, perm, path) =>
			[...new Set(ids)]
				.filter((x) => !cache[kind].has(x))
				.map((x) => {
					if (!can(perm)) {
						cache[kind].set(x, null);
						return null;
					}
					return api
						.get(`${path}/${x}`)
						.then((r) => cache[kind].set(x, r))
						.catch(() => cache[kind].set(x, null));
				});
		await Promise.all([...want('staff', items.map((a) => a.staff_id), P.staff, '/staff'), ...(households ? want('household', items.map((a) => a.household_id), P.household, '/households') : [])]);
	}

	const staffCell = (a) => {
		const s = cache.staff.get(a.staff_id);
		const label = s ? s.name : `#${a.staff_id}`;
		return h(
			'div',
			{ class: 'cell-stack' },
			can(P.file) ? h('a', { href: `#/staff/${a.staff_id}`, 'data-testid': 'asg-staff' }, label) : h('span', { 'data-testid': 'asg-staff' }, label),
			s ? h('span', { class: 'text-secondary small' }, s.staff_no) : null,
		);
	};
	const householdCell = (a) => {
		const x = cache.household.get(a.household_id);
		if (!x) return h('span', { 'data-testid': 'asg-household' }, `#${a.household_id}`);
		return h('div', { class: 'cell-stack' }, h('span', { 'data-testid': 'asg-household' }, householdLabel(x)), x.address ? h('span', { class: 'text-secondary small' }, x.address) : null);
	};

	const columns = [
		{ key: 'day', title: t('asg.day'), nowrap: true, render: (a) => h('div', { class: 'cell-stack' }, h('span', { 'data-testid': 'asg-day' }, a.day), a.time_window ? h('span', { class: 'text-secondary small' }, a.time_window) : null) },
		{ key: 'staff', title: t('asg.staff'), render: staffCell },
		{ key: 'household', title: t('asg.household'), cls: 'col-wide', render: householdCell },
		{ key: 'job_type', title: t('asg.jobType'), render: (a) => h('div', { class: 'cell-stack' }, h('span', { 'data-job': a.job_type }, t(`staff.job.${a.job_type}`)), h('span', { class: 'text-secondary small' }, t('fs.elig.level', { level: t(`staff.level.${a.level}`) }))) },
		{ key: 'status', title: t('asg.status'), render: (a) => statusTag(a.status) },
		{ key: 'notes', title: t('asg.notes'), render: (a) => (a.notes ? h('span', { class: 'pre-line' }, a.notes) : '') },
		{ key: 'updated_at', title: t('common.updatedAt'), nowrap: true, render: (a) => fmtDateTime(a.updated_at) },
		can(P.cancel) ? { key: 'actions', title: t('common.actions'), cls: 'col-actions col-actions-tight', render: (a) => (a.status === 'assigned' ? button(t('asg.cancel'), { kind: 'link', size: 'sm', cls: 'text-error', testid: 'asg-cancel', onClick: () => cancel(a) }) : '') } : null,
	].filter(Boolean);

	const list = new ListView({
		fetch: async (q) => {
			const p = await api.get('/assignments', q);
			await resolve(p.items);
			return p;
		},
		columns,
		empty: t('asg.empty'),
		testid: 'asg-list',
		caption: t('nav.assignments'),
		rowClass: (a) => (a.status === 'cancelled' ? 'is-muted' : null),
	});

	const staffFilter = can(P.staffList) ? staffPicker('asg-staff-filter') : null;
	const filters = new Form(
		[
			{ name: 'day', label: t('asg.day'), type: 'date' },
			staffFilter ? { name: 'staff_id', label: t('asg.staff'), type: 'custom', control: staffFilter } : null,
			{ name: 'status', label: t('asg.status'), type: 'select', options: [{ value: '', label: t('common.all') }, ...opts('asg.status', ASSIGNMENT_STATUSES)] },
		].filter(Boolean),
		{ layout: 'inline', testid: 'asg-filter' },
	);
	if (/^\d{4}-\d{2}-\d{2}$/.test(query.get('day') || '')) filters.setValues({ day: query.get('day') });
	if (ASSIGNMENT_STATUSES.includes(query.get('status'))) filters.setValues({ status: query.get('status') });
	const presetStaff = Number(query.get('staff_id')) || 0;
	/* without the staff list there is no picker, but a staff_id link still filters */
	const current = () => (staffFilter || !presetStaff ? filters.values() : { ...filters.values(), staff_id: presetStaff });

	const result = h('div', { class: 'asg-result', 'data-testid': 'asg-result' });
	const search = async () => {
		filters.clearErrors();
		await list.search(current());
		if (!list.page && list.lastError) filters.showError(list.lastError);
	};

	el.append(
		pageHeader(t('nav.assignments'), {
			desc: t('asg.desc'),
			actions: [
				can(P.create) ? button(t('asg.new'), { kind: 'primary', icon: 'plus', testid: 'asg-new', onClick: () => openAssign(0) }) : null,
				h('a', { class: 'btn btn-default', href: `#/assignments?day=${todayIso()}`, 'data-testid': 'asg-today' }, icon('calendar'), h('span', null, t('asg.today'))),
				exportButtons({ path: '/assignments', query: () => list.exportQuery(), base: 'assignments', testid: 'asg-export' }),
			],
		}),
		result,
		filterBar(filters, {
			onSearch: search,
			onReset: () => {
				if (staffFilter) staffFilter.set('');
				search();
			},
		}),
		card(null, list.el, { cls: 'card-table' }),
	);
	if (presetStaff && staffFilter) {
		await resolve([{ staff_id: presetStaff }], { households: false });
		const s = cache.staff.get(presetStaff);
		staffFilter.set(presetStaff, s ? staffLabel(s) : `#${presetStaff}`);
		const more = el.querySelector('[data-testid=filter-toggle]');
		if (more && el.querySelector('.filter-bar.is-collapsed')) more.click();
	}
	/* taken out of the address as it opens: a reload or a language switch
	 * afterwards must not offer the same worker's assignment again */
	const assignId = takeFromAddress('assign');
	await search();
	if (assignId > 0 && can(P.create)) openAssign(assignId);

	/* ---- assign ---- */

	async function openAssign(staffId) {
		let rules = [];
		if (can(P.rules))
			try {
				rules = (await api.get('/job-rules')).items;
			} catch {
				/* the level select names no rule; the server applies it anyway */
			}
		const ruleLevel = (job) => {
			const r = rules.find((x) => x.job_type === job);
			return r ? t('asg.levelRuleN', { level: t(`staff.level.${r.level}`) }) : t('asg.levelRule');
		};
		const check = h('div', { class: 'asg-check', 'data-testid': 'assign-check', 'aria-live': 'polite' });
		const worker = staffPicker('assign-staff', (o) => {
			if (o && o.item && (o.item.job_types || []).length && !(o.item.job_types || []).includes(form.field('job_type').value)) {
				form.field('job_type').value = o.item.job_types[0];
				syncLevel();
			}
			precheck();
		});
		const home = householdPicker('assign-household');
		const hours = timeWindow();
		const today = todayIso();
		const { form, drawer } = formDrawer({
			title: t('asg.new'),
			testid: 'assign-drawer',
			width: 600,
			fields: [
				{ name: 'staff_id', label: t('asg.staff'), type: 'custom', control: worker, required: true },
				{ name: 'household_id', label: t('asg.household'), type: 'custom', control: home, required: true, help: t('asg.householdHelp') },
				{ name: 'job_type', label: t('asg.jobType'), type: 'select', required: true, options: [{ value: '', label: t('common.choose') }, ...opts('staff.job', JOB_TYPES)] },
				{ name: 'level', label: t('asg.level'), type: 'select', options: [{ value: '', label: t('asg.levelRule') }, ...opts('staff.level', LEVELS)], help: t('asg.levelHelp') },
				{ name: 'day', label: t('asg.day'), type: 'date', required: true, value: today, min: today },
				{ name: 'time_window', label: t('asg.window'), type: 'custom', control: hours, help: t('asg.windowHelp') },
				{ name: 'notes', label: t('asg.notes'), type: 'textarea', maxlength: 1000 },
			],
			submitText: t('asg.submit'),
			submit: async (v, f, d) => {
				/* both times, the end after the start: said here, in words, not
				 * as the server's "as 09:00-11:00" */
				if (v.time_window) {
					const [from, to] = v.time_window.split('-');
					if (!from || !to || to <= from) {
						f.setError('time_window', !from || !to ? t('asg.windowBoth') : t('asg.windowOrder'));
						f.focus('time_window');
						return;
					}
				}
				const body = { staff_id: v.staff_id, household_id: v.household_id, job_type: v.job_type, day: v.day };
				if (v.level) body.level = v.level;
				if (v.time_window) body.time_window = v.time_window;
				if (v.notes) body.notes = v.notes;
				let a;
				try {
					a = await api.post('/assignments', body);
				} catch (err) {
					if (err.code === 'not_eligible') {
						const b = err.body || {};
						f.alert('error', [reasonList(b.reasons, 'assign-reasons'), (b.warnings || []).length ? reasonList(b.warnings, 'assign-refused-warnings') : null], { title: err.message });
						f.alertSlot.scrollIntoView({ block: 'nearest' });
						return;
					}
					f.showError(err);
					return;
				}
				const who = worker.chosen ? worker.chosen.item || worker.chosen : null;
				const names = { name: who && who.name ? who.name : `#${a.staff_id}`, household: home.chosen ? home.chosen.label : `#${a.household_id}`, day: a.day };
				if (home.chosen && home.chosen.item) cache.household.set(a.household_id, home.chosen.item);
				if (who && who.staff_no) cache.staff.set(a.staff_id, who);
				toast.success(t('asg.created', names));
				showResult(a, names);
				d.close();
				list.reload();
			},
		});
		form.el.insertBefore(check, form.el.querySelector('.form-item[data-field=notes]'));

		const job = form.field('job_type');
		const level = form.field('level');
		function syncLevel() {
			level.options[0].textContent = job.value ? ruleLevel(job.value) : t('asg.levelRule');
		}
		job.addEventListener('change', () => {
			syncLevel();
			precheck();
		});
		level.addEventListener('change', precheck);
		form.field('day').addEventListener('change', precheck);

		/* the server's answer ahead of sending: the same rules, the same reasons */
		let seq = 0;
		async function precheck() {
			const my = ++seq;
			const sid = worker.get();
			const v = form.values();
			if (!sid || !v.job_type || !v.day || !can(P.elig)) {
				check.replaceChildren();
				return;
			}
			try {
				const q = { job_type: v.job_type, day: v.day };
				if (v.level) q.level = v.level;
				const r = await api.get(`/staff/${sid}/eligibility`, q);
				if (my !== seq || drawer.closed) return;
				check.replaceChildren(h('div', { class: ['elig-item', r.eligible ? 'is-ok' : 'is-no'], 'data-eligible': String(r.eligible) }, eligibilityBody(r, t('asg.precheck', { job: t(`staff.job.${r.job_type}`), day: r.day }))));
			} catch {
				if (my === seq) check.replaceChildren();
			}
		}

		if (staffId) {
			try {
				const s = await api.get(`/staff/${staffId}`);
				worker.set(s.id, staffLabel(s), { id: s.id, label: staffLabel(s), item: s });
				if ((s.job_types || []).length) job.value = s.job_types[0];
				form.markClean();	/* the worker asked for, not typed */
				syncLevel();
				precheck();
				home.focus();
			} catch (err) {
				toast.error(err.message);
			}
		}
	}

	/* what the last assignment made says, until it is cancelled */
	function showResult(a, names) {
		const warnings = a.warnings || [];
		result.dataset.assignment = String(a.id);
		result.replaceChildren(
			warnings.length
				? h('div', { 'data-testid': 'assign-warnings' }, alertBox('warning', reasonList(warnings, 'assign-warning-list'), { title: t('asg.createdWarn', names) }))
				: alertBox('success', null, { title: t('asg.created', names) }),
		);
	}

	/* ---- cancel ---- */

	async function cancel(a) {
		const s = cache.staff.get(a.staff_id);
		const x = cache.household.get(a.household_id);
		const reason = await promptText({
			title: t('asg.cancelTitle'),
			message: t('asg.cancelText', { name: s ? s.name : `#${a.staff_id}`, day: a.day, household: x ? householdLabel(x) : `#${a.household_id}` }),
			label: t('asg.cancelReason'),
			required: true,
			danger: true,
			okText: t('asg.cancel'),
			testid: 'asg-cancel-dialog',
		});
		if (!reason) return;
		try {
			await api.post(`/assignments/${a.id}/cancel`, { version: a.version, reason });
			toast.success(t('asg.cancelled'));
			if (result.dataset.assignment === String(a.id)) {
				result.replaceChildren();
				delete result.dataset.assignment;
			}
		} catch (err) {
			toast.error(err.message);
		}
		list.reload();
	}
}
