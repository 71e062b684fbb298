/*
 * sites.js — the site tree (SPEC X1): estates (小区/项目), the buildings
 * in them (楼栋) and their units (单元). Children load when a node is
 * opened (GET /sites?parent_id=…); a name search covers the whole tree
 * (q). Choosing a site shows its details, how many households are on it
 * and under it, and a link to those households. Admins and managers
 * create an estate at the top, a building under an estate and a unit
 * under a building, and edit them, in drawers.
 *
 * On a narrow screen the tree and the details stack, and choosing a site
 * scrolls its details into view.
 */
import { h, icon, setChildren } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { savePatch } from '../edit.js';
import { can, session } from '../session.js';
import { fmtDateTime, fmtNumber } from '../format.js';
import { Form, button, busy, tag, card, pageHeader, filterBar, editDrawer, toast, descriptions, spinner, errorState, emptyState } from '../ui.js';

const P = {
	create: 'POST /api/v1/sites',
	update: 'PATCH /api/v1/sites/:id',
	households: 'GET /api/v1/households',
};
const PAGE = 100;
const KIND_ICON = { estate: 'org', building: 'building', unit: 'household' };
const KIND_COLOR = { estate: 'blue', building: 'cyan', unit: 'default' };
const CHILD_KIND = { estate: 'building', building: 'unit' };
const ADDRESS_FIELDS = ['province', 'city', 'district', 'street'];

export const siteKindLabel = (k) => t(`site.kind.${k}`);

export async function render({ el, query }) {
	const nodes = new Map(); /* id → {site, li, row, group, loaded, open} */
	const openIds = new Set();
	let selectedId = 0;

	/* ---- layout ---- */
	const treeBody = h('div', { class: 'site-tree', 'data-testid': 'site-tree' });
	const treeTitle = h('span', null, t('site.tree'));
	const detailBody = h('div', { class: 'site-detail', 'data-testid': 'site-detail' }, emptyState(t('site.pickHint')));
	const detailCard = card(t('site.detail'), detailBody, { cls: 'site-detail-card' });
	const filters = new Form([{ name: 'q', label: t('site.search'), placeholder: t('site.searchHint'), maxlength: 64 }], { layout: 'inline', testid: 'sites-filter' });
	if (query.get('q')) filters.setValues({ q: query.get('q') });

	el.append(
		pageHeader(t('nav.sites'), {
			desc: t('site.desc'),
			/* An account limited to some estates builds inside them but
			 * makes no estate (SPEC X1: it would not see it). */
			actions:
				can(P.create) && session.user.all_sites !== false
					? button(t('site.new.estate'), { kind: 'primary', icon: 'plus', testid: 'site-new-estate', onClick: () => openCreate('estate', null) })
					: null,
		}),
		filterBar(filters, { onSearch: () => runSearch(filters.values().q), onReset: () => runSearch('') }),
		h('div', { class: 'site-layout' }, card(treeTitle, treeBody, { cls: 'site-tree-card' }), detailCard),
	);

	/* ---- tree ---- */
	function meta(s) {
		return h(
			'span',
			{ class: 'tree-meta' },
			tag(siteKindLabel(s.kind), KIND_COLOR[s.kind]),
			h('span', { class: 'tree-count', title: t('site.householdsTitle') }, icon('household'), fmtNumber(s.households || 0)),
		);
	}

	function rowOf(node) {
		const s = node.site;
		const expandable = s.kind !== 'unit' && s.children > 0;
		const toggle = expandable
			? h(
					'button',
					{
						type: 'button',
						class: 'tree-toggle',
						'aria-expanded': String(node.open),
						'aria-label': t(node.open ? 'site.collapse' : 'site.expand', { name: s.name }),
						'data-testid': 'site-toggle',
						onclick: () => (node.open ? collapse(node) : expand(node)),
					},
					icon('right'),
				)
			: h('span', { class: 'tree-toggle is-leaf', 'aria-hidden': 'true' });
		const label = h(
			'button',
			{ type: 'button', class: 'tree-label', 'data-testid': 'site-open', 'aria-pressed': String(s.id === selectedId), onclick: () => select(s.id) },
			icon(KIND_ICON[s.kind] || 'org', 'tree-icon'),
			h('span', { class: 'tree-name' }, s.name),
		);
		return h('div', { class: ['tree-row', s.id === selectedId ? 'is-selected' : ''] }, toggle, label, meta(s));
	}

	function nodeOf(s) {
		const node = { site: s, li: null, row: null, group: h('ul', { class: 'tree-group', hidden: true }), loaded: false, open: false };
		node.row = rowOf(node);
		node.li = h('li', { class: 'tree-item', 'data-site': s.id, 'data-kind': s.kind, 'data-households': s.households || 0, 'data-children': s.children || 0 }, node.row, node.group);
		nodes.set(s.id, node);
		return node;
	}

	/* The row drawn anew; the button of it that had the focus (the toggle
	   just pressed, to expand or to collapse) has it again in the new row. */
	function redraw(node) {
		const fresh = rowOf(node);
		const had = document.activeElement && node.row.contains(document.activeElement) ? document.activeElement.getAttribute('data-testid') : null;
		node.row.replaceWith(fresh);
		node.row = fresh;
		const again = had && fresh.querySelector(`[data-testid="${had}"]`);
		if (again) again.focus();
		node.li.setAttribute('data-households', node.site.households || 0);
		node.li.setAttribute('data-children', node.site.children || 0);
	}

	/* Lists the children of parentId into ul, PAGE at a time; reopens what was open. */
	async function loadInto(ul, parentId, offset = 0) {
		const more = ul.querySelector(':scope > .tree-more');
		if (more) more.remove();
		if (offset === 0) ul.replaceChildren(h('li', { class: 'tree-loading' }, spinner()));
		let page;
		try {
			page = await api.get('/sites', { parent_id: parentId || null, limit: PAGE, offset });
		} catch (err) {
			ul.replaceChildren(h('li', null, errorState(err, () => loadInto(ul, parentId, offset))));
			return;
		} finally {
			const l = ul.querySelector(':scope > .tree-loading');
			if (l) l.remove();
		}
		for (const s of page.items) {
			const node = nodeOf(s);
			ul.appendChild(node.li);
			if (openIds.has(s.id) && s.children > 0) expand(node);
		}
		if (offset === 0 && !page.items.length && !parentId) ul.appendChild(h('li', null, emptyState(t('site.empty'))));
		const shown = offset + page.items.length;
		if (shown < page.total) {
			const btn = button(t('site.loadMore', { n: page.total - shown }), { kind: 'link', size: 'sm', testid: 'site-more', onClick: () => busy(btn, () => loadInto(ul, parentId, shown)) });
			ul.appendChild(h('li', { class: 'tree-more' }, btn));
		}
	}

	async function expand(node) {
		node.open = true;
		openIds.add(node.site.id);
		node.group.hidden = false;
		redraw(node);
		if (!node.loaded) {
			node.loaded = true;
			await loadInto(node.group, node.site.id);
		}
	}

	function collapse(node) {
		node.open = false;
		openIds.delete(node.site.id);
		node.group.hidden = true;
		redraw(node);
		node.row.querySelector('.tree-toggle').focus();
	}

	const roots = h('ul', { class: 'tree', 'aria-label': t('site.tree') });
	async function showTree() {
		treeTitle.textContent = t('site.tree');
		treeBody.replaceChildren(roots);
		nodes.clear();
		await loadInto(roots, 0);
	}

	/* After a create or an edit: the site's own row, and its parent's list. */
	async function refreshAround(site) {
		if (!treeBody.contains(roots)) return runSearch(filters.values().q);
		if (!site.parent_id) {
			await loadInto(roots, 0);
			return;
		}
		const parent = nodes.get(site.parent_id);
		if (!parent) return;
		try {
			parent.site = await api.get(`/sites/${site.parent_id}`);
		} catch {
			/* the row keeps its old counts */
		}
		parent.loaded = false;
		await expand(parent);
	}

	/* ---- search over the whole tree ---- */
	async function runSearch(q) {
		if (!q) return showTree();
		treeTitle.textContent = t('site.results');
		const list = h('ul', { class: 'site-results', 'data-testid': 'site-results' });
		const total = h('div', { class: 'site-results-total text-secondary' });
		treeBody.replaceChildren(total, list);
		const more = async (offset) => {
			const old = list.querySelector(':scope > .tree-more');
			if (old) old.remove();
			let page;
			try {
				page = await api.get('/sites', { q, limit: PAGE, offset });
			} catch (err) {
				if (offset === 0) filters.showError(err);
				else toast.error(err.message);
				return;
			}
			total.textContent = t('site.resultsN', { n: page.total });
			for (const s of page.items)
				list.appendChild(
					h(
						'li',
						{ 'data-site': s.id, 'data-kind': s.kind },
						h(
							'button',
							{ type: 'button', class: ['tree-row', 'site-result', s.id === selectedId ? 'is-selected' : ''], 'data-testid': 'site-open', onclick: () => select(s.id) },
							icon(KIND_ICON[s.kind] || 'org', 'tree-icon'),
							h('span', { class: 'tree-name' }, s.path || s.name),
							meta(s),
						),
					),
				);
			if (!page.items.length && offset === 0) list.appendChild(h('li', null, emptyState(t('site.noResults'))));
			const shown = offset + page.items.length;
			if (shown < page.total) {
				const btn = button(t('site.loadMore', { n: page.total - shown }), { kind: 'link', size: 'sm', onClick: () => busy(btn, () => more(shown)) });
				list.appendChild(h('li', { class: 'tree-more' }, btn));
			}
		};
		filters.clearErrors();
		treeBody.setAttribute('aria-busy', 'true');
		await more(0);
		treeBody.setAttribute('aria-busy', 'false');
	}

	/* ---- details ---- */
	function markSelected() {
		for (const r of treeBody.querySelectorAll('.is-selected')) r.classList.remove('is-selected');
		for (const b of treeBody.querySelectorAll('[aria-pressed=true]')) b.setAttribute('aria-pressed', 'false');
		for (const li of treeBody.querySelectorAll(`[data-site="${selectedId}"]`)) {
			const row = li.querySelector(':scope > .tree-row');
			if (row) row.classList.add('is-selected');
			const b = li.querySelector(':scope > .tree-row .tree-label');
			if (b) b.setAttribute('aria-pressed', 'true');
		}
	}

	async function select(id) {
		selectedId = id;
		markSelected();
		detailBody.replaceChildren(spinner());
		detailBody.setAttribute('aria-busy', 'true');
		try {
			const s = await api.get(`/sites/${id}`);
			if (selectedId !== id) return;
			showDetail(s);
			/* stacked layout: the details are below the tree, bring them into view */
			if (window.matchMedia('(max-width: 992px)').matches) detailCard.scrollIntoView({ block: 'start', behavior: 'smooth' });
		} catch (err) {
			if (selectedId === id) detailBody.replaceChildren(errorState(err, () => select(id)));
		} finally {
			detailBody.setAttribute('aria-busy', 'false');
		}
	}

	function showDetail(s) {
		const items = [
			[t('site.name'), h('span', { 'data-testid': 'site-name' }, s.name)],
			[t('site.kind'), tag(siteKindLabel(s.kind), KIND_COLOR[s.kind])],
			[t('site.code'), s.code || ''],
			[t('site.path'), h('span', { 'data-testid': 'site-path' }, s.path || '')],
			[t('site.displayAddress'), s.display_address || ''],
			...(s.kind === 'estate' ? ADDRESS_FIELDS.map((f) => [t(`site.${f}`), s[f] || '']) : []),
			s.kind === 'estate' ? [t('site.address'), s.address || ''] : null,
			s.kind !== 'unit' ? [t('site.children', { kind: siteKindLabel(CHILD_KIND[s.kind]) }), fmtNumber(s.children || 0)] : null,
			[t('site.households'), h('span', { 'data-testid': 'site-households-count' }, fmtNumber(s.households || 0))],
			[t('common.createdAt'), fmtDateTime(s.created_at)],
			[t('common.updatedAt'), fmtDateTime(s.updated_at)],
			[t('common.version'), String(s.version)],
		];
		const actions = [];
		if (can(P.households))
			actions.push(h('a', { class: 'btn btn-primary', href: `#/households?site_id=${s.id}`, 'data-testid': 'site-households' }, icon('household'), h('span', null, t('site.viewHouseholds'))));
		if (can(P.update)) actions.push(button(t('common.edit'), { icon: 'edit', testid: 'site-edit', onClick: () => openEdit(s.id) }));
		if (can(P.create) && CHILD_KIND[s.kind])
			actions.push(button(t(`site.new.${CHILD_KIND[s.kind]}`), { icon: 'plus', testid: 'site-new-child', onClick: () => openCreate(CHILD_KIND[s.kind], s) }));
		setChildren(detailBody, h('h3', { class: 'site-detail-title' }, icon(KIND_ICON[s.kind] || 'org'), h('span', null, s.path || s.name)), descriptions(items, { cols: 1 }), actions.length ? h('div', { class: 'form-actions site-actions' }, actions) : null);
	}

	/* ---- create and edit ---- */
	/* nameLocked: an estate's name, which an account limited to some
	 * estates may not change (SPEC X1: estate names are unique in the
	 * organisation, and a refused rename would tell it of the others). */
	function fieldsFor(kind, nameLocked = false) {
		return [
			{
				name: 'name',
				label: t('site.nameOf', { kind: siteKindLabel(kind) }),
				required: true,
				maxlength: 64,
				placeholder: t(`site.namePlaceholder.${kind}`),
				disabled: nameLocked,
				help: nameLocked ? t('site.nameLocked') : undefined,
			},
			{ name: 'code', label: t('site.code'), maxlength: 32, help: t('site.codeHelp') },
			...(kind === 'estate'
				? [
						...ADDRESS_FIELDS.map((f) => ({ name: f, label: t(`site.${f}`), maxlength: 32 })),
						{ name: 'address', label: t('site.address'), maxlength: 128, help: t('site.addressHelp') },
					]
				: []),
			{ name: 'reason', label: t('common.reason'), type: 'textarea', maxlength: 200, placeholder: t('common.reasonHint') },
		];
	}

	function openCreate(kind, parent) {
		const submit = button(t('common.create'), { kind: 'primary', testid: 'site-create-submit', onClick: () => form.el.requestSubmit() });
		const form = new Form(fieldsFor(kind), {
			testid: 'site-create-form',
			onSubmit: () =>
				busy(submit, async () => {
					if (!form.validate()) return;
					const v = form.values();
					const body = { kind, name: v.name };
					if (parent) body.parent_id = parent.id;
					for (const f of ['code', ...ADDRESS_FIELDS, 'address', 'reason']) if (v[f]) body[f] = v[f];
					try {
						const s = await api.post('/sites', body);
						toast.success(t('site.created', { name: s.name }));
						drawer.close();
						await refreshAround(s);
						select(s.id);
					} catch (err) {
						form.showError(err);
					}
				}),
		});
		const head = parent ? h('div', { class: 'drawer-subtitle' }, t('site.under', { path: parent.path || parent.name })) : null;
		const drawer = editDrawer({ title: t(`site.new.${kind}`), content: [head, form.el], testid: 'site-create', submit, form: () => form });
	}

	function openEdit(id) {
		let current = null;
		let form = null;
		const body = h('div', null, spinner());
		const submit = button(t('common.save'), { kind: 'primary', testid: 'site-save', disabled: true, onClick: () => form && form.el.requestSubmit() });
		const drawer = editDrawer({
			title: t('site.edit'),
			content: body,
			testid: 'site-edit-drawer',
			submit,
			form: () => form,
		});
		const head = h('div', { class: 'drawer-subtitle' });
		const editable = ['name', 'code', ...ADDRESS_FIELDS, 'address'];

		function fill(s) {
			current = s;
			head.replaceChildren(tag(siteKindLabel(s.kind), KIND_COLOR[s.kind]), ' ', h('strong', null, s.path || s.name), ' ', h('span', { class: 'text-secondary' }, t('common.versionN', { n: s.version })));
			const vals = { reason: '' };
			for (const f of editable) vals[f] = s[f] || '';
			form.setValues(vals);
			form.markClean();
		}

		async function save() {
			if (!form.validate()) return;
			const v = form.values();
			const patch = { version: current.version };
			for (const f of editable) if (form.has(f) && v[f] !== (current[f] || '')) patch[f] = v[f];
			if (Object.keys(patch).length === 1) {
				form.alert('info', t('common.noChanges'));
				return;
			}
			if (v.reason) patch.reason = v.reason;
			const s = await savePatch(`/sites/${id}`, patch, { form, fill });
			if (!s) return;
			toast.success(t('site.saved', { name: s.name }));
			drawer.close();
			const node = nodes.get(id);
			if (node) {
				node.site = s;
				redraw(node);
			}
			if (!treeBody.contains(roots)) runSearch(filters.values().q);
			if (selectedId === id) showDetail(s);
		}

		api.get(`/sites/${id}`)
			.then((s) => {
				const nameLocked = s.kind === 'estate' && session.user.all_sites === false;
				form = new Form(fieldsFor(s.kind, nameLocked), { testid: 'site-edit-form', onSubmit: () => busy(submit, save) });
				fill(s);
				body.replaceChildren(head, form.el);
				submit.disabled = false;
				form.focus(nameLocked ? 'code' : 'name');
			})
			.catch((err) => body.replaceChildren(errorState(err)));
	}

	/* ---- start ---- */
	const q = filters.values().q;
	await (q ? runSearch(q) : showTree());
	const id = Number(query.get('id'));
	if (id > 0) select(id);
}
