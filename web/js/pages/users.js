/*
 * users.js — accounts: list with search, role and status filters, sorting
 * and paging; details; create and edit in drawers; reset a password,
 * lift a lock-out, disable and enable with a confirmation and a reason.
 * Which sites an account sees (SPEC X1): every one, or only the estates
 * ticked in its form; the list tags which.
 *
 * Edits send the version that was read; a stale one (someone else saved
 * in between) gets the server's version_conflict message and the drawer
 * reloads the record so nothing is silently overwritten (SPEC X3).
 */
import { h, nextId } from '../dom.js';
import { t, pick } from '../i18n.js';
import { api } from '../api.js';
import { session, can, roles } from '../session.js';
import { fmtDateTime } from '../format.js';
import { ListView, restoreFilters } from '../list.js';
import { exportButtons } from '../export.js';
import { estateChecks, allEstates } from '../estatechecks.js';
import { Form, button, busy, tag, card, pageHeader, filterBar, openDrawer, editDrawer, openDialog, confirm, toast, descriptions, spinner, errorState } from '../ui.js';

const P = {
	create: 'POST /api/v1/users',
	update: 'PATCH /api/v1/users/:id',
	password: 'PUT /api/v1/users/:id/password',
	unlock: 'POST /api/v1/users/:id/unlock',
	audit: 'GET /api/v1/audit',
};

function isLocked(u) {
	return u.locked_until && u.locked_until * 1000 > Date.now();
}

function statusTags(u) {
	const out = [u.status === 'active' ? tag(t('user.status.active'), 'green', { 'data-status': 'active' }) : tag(t('user.status.disabled'), 'red', { 'data-status': 'disabled' })];
	if (isLocked(u)) out.push(tag(t('user.locked'), 'orange', { title: t('user.lockedUntil', { time: fmtDateTime(u.locked_until) }) }));
	if (u.must_change_password) out.push(tag(t('user.mustChange'), 'blue'));
	return h('div', { class: 'tags' }, out);
}

/* An account sees every site unless all_sites says otherwise (SPEC X1). */
const limited = (u) => u.all_sites === false;

function sitesTag(u) {
	return limited(u) ? tag(t('user.sites.someTag'), 'orange', { 'data-sites': 'some' }) : tag(t('user.sites.allTag'), 'default', { 'data-sites': 'all' });
}

/* The tag, and for a limited account the names of its estates (looked up
 * after: the drawer does not wait for them). */
function sitesCell(u) {
	const cell = h('div', { class: 'tags', 'data-testid': 'user-sites' }, sitesTag(u));
	const ids = limited(u) ? u.site_ids || [] : [];
	if (limited(u) && !ids.length) cell.append(h('span', { class: 'text-warning' }, t('user.sites.noneGranted')));
	if (!ids.length) return cell;
	allEstates()
		.then((list) => {
			const names = new Map(list.map((s) => [s.id, s.name]));
			cell.append(...ids.map((id) => tag(names.get(id) || t('user.sites.unknown', { id }))));
		})
		.catch(() => {
			/* the tag still says the account is limited */
		});
	return cell;
}

/* The form's two fields for the sites an account sees: the choice, and
 * the estates when it is "only these". */
function siteFields() {
	return [
		{
			name: 'all_sites',
			label: t('user.sites'),
			type: 'radios',
			value: 'all',
			options: [
				{ value: 'all', label: t('user.sites.all'), help: t('user.sites.allHelp') },
				{ value: 'some', label: t('user.sites.some'), help: t('user.sites.someHelp') },
			],
		},
		{ name: 'site_ids', label: t('user.siteIds'), type: 'custom', control: estateChecks({ label: t('user.siteIds'), testid: 'user-estates' }) },
	];
}

/* Shows the estates only when limiting; an admin can never be limited
 * (the server refuses it), so ticking that role takes the choice away and
 * says why. Returns the function that redraws this after setValues. */
function bindSites(form) {
	const scope = form.field('all_sites');
	const only = scope.querySelector('input[value=some]');
	const hintId = nextId('sites-hint');
	const hint = h('div', { class: 'form-help', id: hintId, hidden: true, 'data-testid': 'user-sites-admin' }, t('user.sites.adminHint'));
	scope.after(hint);
	only.setAttribute('aria-describedby', hintId);
	const sync = () => {
		const admin = form.values().roles.includes('admin');
		if (admin && only.checked) form.setValues({ all_sites: 'all' });
		only.disabled = admin;
		hint.hidden = !admin;
		form.items.get('site_ids').item.hidden = form.values().all_sites !== 'some';
	};
	form.field('roles').addEventListener('change', sync);
	scope.addEventListener('change', sync);
	sync();
	return sync;
}

/* The form's choice as the API takes it. */
const sitesBody = (v) => (v.all_sites === 'some' ? { site_ids: v.site_ids } : { all_sites: true });

const sameIds = (a, b) => [...a].sort((x, y) => x - y).join() === [...b].sort((x, y) => x - y).join();

export async function render({ el, query }) {
	const allRoles = await roles();
	const roleName = (code) => {
		const r = allRoles.find((x) => x.code === code);
		return r ? pick(r) : code;
	};
	const roleOptions = allRoles.map((r) => ({ value: r.code, label: pick(r) }));
	const roleTags = (codes) => h('div', { class: 'tags' }, codes.map((c) => tag(roleName(c), c === 'admin' ? 'purple' : 'blue')));

	/* ---- list ---- */
	const columns = [
		{
			key: 'username',
			title: t('user.username'),
			sortKey: 'username',
			nowrap: true,
			render: (u) => h('button', { type: 'button', class: 'link', 'data-testid': 'user-open', onclick: () => showDetail(u.id) }, u.username),
		},
		{ key: 'display_name', title: t('user.displayName'), sortKey: 'display_name' },
		{ key: 'roles', title: t('user.roles'), render: (u) => roleTags(u.roles) },
		{ key: 'all_sites', title: t('user.sites'), nowrap: true, render: sitesTag },
		session.permissions.has(P.update) ? { key: 'phone', title: t('user.phone'), nowrap: true, render: (u) => u.phone || '' } : null,
		{ key: 'status', title: t('user.status'), render: statusTags },
		{ key: 'last_login_at', title: t('user.lastLogin'), sortKey: 'last_login_at', nowrap: true, render: (u) => fmtDateTime(u.last_login_at) },
		{ key: 'created_at', title: t('user.createdAt'), sortKey: 'created_at', nowrap: true, render: (u) => fmtDateTime(u.created_at) },
		can(P.update) || can(P.password) || can(P.unlock) ? { key: 'actions', title: t('common.actions'), cls: 'col-actions', render: rowActions } : null,
	].filter(Boolean);

	const list = new ListView({
		fetch: (q) => api.get('/users', q),
		columns,
		empty: t('user.empty'),
		sort: { key: 'id', order: 'asc' },
		testid: 'users-list',
		caption: t('nav.users'),
		rowClass: (u) => (u.status === 'disabled' ? 'is-muted' : null),
	});

	const filters = new Form(
		[
			{ name: 'q', label: t('user.search'), placeholder: t('user.searchHint'), maxlength: 64 },
			{ name: 'role', label: t('user.role'), type: 'select', options: [{ value: '', label: t('common.all') }, ...roleOptions] },
			{
				name: 'status',
				label: t('user.status'),
				type: 'select',
				options: [
					{ value: '', label: t('common.all') },
					{ value: 'active', label: t('user.status.active') },
					{ value: 'disabled', label: t('user.status.disabled') },
				],
			},
		],
		{ layout: 'inline', testid: 'users-filter' },
	);
	restoreFilters(filters, query);

	const search = () => list.search(filters.values());

	el.append(
		pageHeader(t('nav.users'), {
			desc: t('user.desc'),
			actions: [
				can(P.create) ? button(t('user.new'), { kind: 'primary', icon: 'plus', onClick: () => openCreate(), testid: 'user-new' }) : null,
				exportButtons({ path: '/users', query: () => list.exportQuery(), base: 'users', testid: 'users-export' }),
			],
		}),
		filterBar(filters, { onSearch: search, onReset: search }),
		card(null, list.el, { cls: 'card-table' }),
	);
	list.state.filters = filters.values();
	await list.reload();

	/* ---- row actions ---- */
	function rowActions(u) {
		const acts = [];
		if (can(P.update)) acts.push(button(t('common.edit'), { kind: 'link', size: 'sm', onClick: () => openEdit(u.id), testid: 'user-edit' }));
		if (can(P.password)) acts.push(button(t('user.resetPassword'), { kind: 'link', size: 'sm', onClick: () => openReset(u), testid: 'user-reset' }));
		if (can(P.unlock) && isLocked(u)) acts.push(button(t('user.unlock'), { kind: 'link', size: 'sm', onClick: () => doUnlock(u), testid: 'user-unlock' }));
		if (can(P.update) && u.id !== session.user.id)
			acts.push(
				u.status === 'active'
					? button(t('user.disable'), { kind: 'link', size: 'sm', cls: 'text-error', onClick: () => setStatus(u, 'disabled'), testid: 'user-disable' })
					: button(t('user.enable'), { kind: 'link', size: 'sm', onClick: () => setStatus(u, 'active'), testid: 'user-enable' }),
			);
		return h('div', { class: 'row-actions' }, acts);
	}

	function staleHandled(err) {
		if (!err.isConflict) return false;
		toast.error(`${err.message} ${t('conflict.listReloaded')}`);
		list.reload();
		return true;
	}

	async function setStatus(u, status) {
		const disable = status === 'disabled';
		const ok = await confirm({
			title: disable ? t('user.disableTitle') : t('user.enableTitle'),
			message: disable ? t('user.disableText', { name: u.display_name, username: u.username }) : t('user.enableText', { name: u.display_name, username: u.username }),
			okText: disable ? t('user.disable') : t('user.enable'),
			danger: disable,
			reason: true,
		});
		if (!ok) return;
		try {
			await api.patch(`/users/${u.id}`, { version: u.version, status, ...(ok.reason ? { reason: ok.reason } : {}) });
			toast.success(disable ? t('user.disabled') : t('user.enabled'));
			list.reload();
		} catch (err) {
			if (!staleHandled(err)) toast.error(err.message);
		}
	}

	async function doUnlock(u) {
		const ok = await confirm({ title: t('user.unlockTitle'), message: t('user.unlockText', { name: u.display_name, username: u.username }), okText: t('user.unlock'), reason: true });
		if (!ok) return;
		try {
			await api.post(`/users/${u.id}/unlock`, { version: u.version, ...(ok.reason ? { reason: ok.reason } : {}) });
			toast.success(t('user.unlocked'));
			list.reload();
		} catch (err) {
			if (!staleHandled(err)) toast.error(err.message);
		}
	}

	function openReset(u) {
		let version = u.version;
		const self = u.id === session.user.id;
		const submit = button(t('user.resetPassword'), { kind: 'primary', testid: 'reset-submit', onClick: () => form.el.requestSubmit() });
		const form = new Form(
			[
				{ name: 'password', label: t('user.newPassword'), type: 'password', required: true, maxlength: 128, help: t('password.rules') },
				self ? null : { name: 'must_change_password', type: 'checkbox', label: t('user.mustChangeLabel'), value: true },
				{ name: 'reason', label: t('common.reason'), type: 'textarea', maxlength: 200, placeholder: t('common.reasonHint') },
			].filter(Boolean),
			{
				testid: 'reset-form',
				onSubmit: () =>
					busy(submit, async () => {
						if (!form.validate()) return;
						const v = form.values();
						const body = { version, password: v.password };
						if (!self) body.must_change_password = v.must_change_password;
						if (v.reason) body.reason = v.reason;
						try {
							await api.put(`/users/${u.id}/password`, body);
							toast.success(t('user.passwordReset', { username: u.username }));
							dlg.close();
							list.reload();
						} catch (err) {
							if (err.isConflict) {
								const fresh = await api.get(`/users/${u.id}`);
								version = fresh.version;
								form.alert('warning', t('conflict.reloaded'), { title: err.message });
							} else form.showError(err);
						}
					}),
			},
		);
		const dlg = openDialog({
			title: t('user.resetTitle', { username: u.username }),
			content: form.el,
			testid: 'reset-dialog',
			footer: [button(t('common.cancel'), { onClick: () => dlg.close() }), submit],
		});
	}

	/* The phone as the list shows it (masked), with a button that asks
	 * for the full number: the server records that view in the audit
	 * trail (SPEC X5), so it happens only on request. */
	function phoneCell(u) {
		const value = h('span', { 'data-testid': 'user-phone' }, u.phone || '');
		if (!u.phone || !u.phone.includes('*')) return value;
		const reveal = button(t('user.revealPhone'), {
			kind: 'link',
			testid: 'user-reveal-phone',
			onClick: () =>
				busy(reveal, async () => {
					try {
						const full = await api.get(`/users/${u.id}?reveal=phone`);
						value.textContent = full.phone || '';
						reveal.remove();
					} catch (err) {
						toast.error(err.message);
					}
				}),
		});
		return h('span', null, value, ' ', reveal, h('div', { class: 'form-help' }, t('user.revealAudited')));
	}

	/* ---- detail ---- */
	async function showDetail(id) {
		const body = h('div', null, spinner());
		const footer = [];
		const drawer = openDrawer({ title: t('user.detail'), content: body, testid: 'user-detail' });
		try {
			const u = await api.get(`/users/${id}`);
			const items = [
				[t('user.username'), u.username],
				[t('user.displayName'), u.display_name],
				'phone' in u ? [t('user.phone'), phoneCell(u)] : null,
				[t('user.roles'), roleTags(u.roles)],
				[t('user.sites'), sitesCell(u)],
				[t('user.status'), statusTags(u)],
				[t('user.lastLogin'), fmtDateTime(u.last_login_at)],
				[t('user.createdAt'), fmtDateTime(u.created_at)],
				[t('user.updatedAt'), fmtDateTime(u.updated_at)],
				[t('common.version'), String(u.version)],
			];
			body.replaceChildren(descriptions(items, { cols: 1 }));
			if (can(P.audit)) footer.push(h('a', { class: 'btn btn-default', href: `#/audit?entity=user&entity_id=${u.id}` }, t('user.viewAudit')));
			if (can(P.update))
				footer.push(
					button(t('common.edit'), {
						kind: 'primary',
						onClick: () => {
							drawer.close();
							openEdit(u.id);
						},
					}),
				);
			drawer.setFooter(footer);
		} catch (err) {
			body.replaceChildren(errorState(err));
		}
	}

	/* ---- create ---- */
	function openCreate() {
		const submit = button(t('common.create'), { kind: 'primary', testid: 'user-create-submit', onClick: () => form.el.requestSubmit() });
		const form = new Form(
			[
				{ name: 'username', label: t('user.username'), required: true, maxlength: 32, help: t('user.usernameRules'), autocomplete: 'off', verbatim: true },
				{ name: 'display_name', label: t('user.displayName'), required: true, maxlength: 64 },
				{ name: 'phone', label: t('user.phone'), type: 'tel', maxlength: 20, inputmode: 'tel' },
				{ name: 'roles', label: t('user.roles'), type: 'checkboxes', required: true, options: roleOptions },
				...siteFields(),
				{ name: 'password', label: t('user.initialPassword'), type: 'password', required: true, maxlength: 128, help: t('password.rules') },
				{ name: 'must_change_password', type: 'checkbox', label: t('user.mustChangeLabel'), value: true },
			],
			{
				testid: 'user-create-form',
				onSubmit: () =>
					busy(submit, async () => {
						if (!form.validate()) return;
						const v = form.values();
						const body = { username: v.username, display_name: v.display_name, roles: v.roles, password: v.password, must_change_password: v.must_change_password, ...sitesBody(v) };
						if (v.phone) body.phone = v.phone;
						try {
							const u = await api.post('/users', body);
							toast.success(t('user.created', { username: u.username }));
							drawer.close();
							list.reload();
						} catch (err) {
							form.showError(err);
						}
					}),
			},
		);
		const drawer = editDrawer({
			title: t('user.new'),
			content: form.el,
			testid: 'user-create',
			submit,
			form: () => form,
		});
		bindSites(form);
	}

	/* ---- edit ---- */
	function openEdit(id) {
		let current = null;
		const body = h('div', null, spinner());
		const submit = button(t('common.save'), { kind: 'primary', testid: 'user-save', onClick: () => form.el.requestSubmit(), disabled: true });
		const drawer = editDrawer({
			title: t('user.edit'),
			content: body,
			testid: 'user-edit-drawer',
			submit,
			form: () => form,
		});
		const self = id === session.user.id;
		const fields = [
			{ name: 'display_name', label: t('user.displayName'), required: true, maxlength: 64 },
			{ name: 'phone', label: t('user.phone'), type: 'tel', maxlength: 20, inputmode: 'tel', help: t('user.phoneMaskedHelp') },
			{ name: 'roles', label: t('user.roles'), type: 'checkboxes', required: true, options: roleOptions },
			...siteFields(),
			{
				name: 'status',
				label: t('user.status'),
				type: 'select',
				disabled: self,
				help: self ? t('user.selfStatus') : null,
				options: [
					{ value: 'active', label: t('user.status.active') },
					{ value: 'disabled', label: t('user.status.disabled') },
				],
			},
			{ name: 'reason', label: t('common.reason'), type: 'textarea', maxlength: 200, placeholder: t('common.reasonHint') },
		];
		const form = new Form(fields, { testid: 'user-edit-form', onSubmit: () => busy(submit, save) });
		const syncSites = bindSites(form);
		const head = h('div', { class: 'drawer-subtitle' });

		function fill(u) {
			current = u;
			head.replaceChildren(h('strong', null, u.username), ' ', h('span', { class: 'text-secondary' }, t('common.versionN', { n: u.version })));
			form.setValues({ display_name: u.display_name, phone: u.phone || '', roles: u.roles, all_sites: limited(u) ? 'some' : 'all', site_ids: u.site_ids || [], status: u.status, reason: '' });
			syncSites();
			form.markClean();
		}

		async function load() {
			const u = await api.get(`/users/${id}`);
			fill(u);
		}

		async function save() {
			if (!form.validate()) return;
			const v = form.values();
			const patch = { version: current.version };
			if (v.display_name !== current.display_name) patch.display_name = v.display_name;
			if ('phone' in current && (v.phone || null) !== (current.phone || null)) {
				/* The form shows the stored number masked; a changed value
				 * must be a whole new number, never a masked one. */
				if ((v.phone || '').includes('*')) {
					form.setError('phone', t('user.phoneMaskedEdit'));
					return;
				}
				patch.phone = v.phone || null;
			}
			if ([...v.roles].sort().join() !== [...current.roles].sort().join()) patch.roles = v.roles;
			/* the sites go only when the choice or the estates ticked changed */
			const sitesChanged = v.all_sites === 'some' ? !limited(current) || !sameIds(v.site_ids, current.site_ids || []) : limited(current);
			if (sitesChanged) Object.assign(patch, sitesBody(v));
			if (!self && v.status !== current.status) patch.status = v.status;
			if (Object.keys(patch).length === 1) {
				form.alert('info', t('common.noChanges'));
				return;
			}
			if (v.reason) patch.reason = v.reason;
			try {
				await api.patch(`/users/${id}`, patch);
				toast.success(t('user.saved', { username: current.username }));
				drawer.close();
				list.reload();
			} catch (err) {
				if (err.isConflict) {
					/* someone else saved first: show it, load what is there now */
					try {
						await load();
					} catch {
						/* the message below still stands */
					}
					form.alert('warning', t('conflict.reloaded'), { title: err.message });
					list.reload();
				} else form.showError(err);
			}
		}

		load()
			.then(() => {
				body.replaceChildren(head, form.el);
				if (!('phone' in current)) form.items.get('phone').item.hidden = true;
				submit.disabled = false;
				form.focus('display_name');
			})
			.catch((err) => body.replaceChildren(errorState(err)));
	}
}
