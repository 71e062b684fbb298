/*
 * sitepicker.js — choosing a place in the site tree (小区 → 楼栋 → 单元,
 * SPEC X1) with three selects: the buildings appear once an estate is
 * chosen, the units once a building is. The value is the deepest site
 * chosen ('' for none). Used by the household filter (a site and
 * everything under it) and the household form (the site it hangs on).
 *
 *   const p = sitePicker({mode: 'filter'});  p.el, p.get(), await p.set(id)
 *
 * Each level lists at most 200 sites (the API's page limit); a site set
 * from outside is added to its select when it is not among them.
 */
import { h } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { toast } from './ui.js';

export const SITE_KINDS = ['estate', 'building', 'unit'];

export function sitePicker({ mode = 'filter', testid } = {}) {
	const blank = mode === 'filter' ? ['site.pick.allEstates', 'site.pick.allBuildings', 'site.pick.allUnits'] : ['site.pick.none', 'site.pick.wholeEstate', 'site.pick.wholeBuilding'];
	const selects = SITE_KINDS.map((kind, i) => h('select', { class: 'select', 'data-level': kind, 'aria-label': t(`site.kind.${kind}`), hidden: i > 0 }, h('option', { value: '' }, t(blank[i]))));
	const el = h('div', { class: 'site-picker', 'data-testid': testid }, selects);
	let seq = 0;

	function hide(level) {
		for (let j = level; j < 3; j++) {
			selects[j].replaceChildren(h('option', { value: '' }, t(blank[j])));
			selects[j].hidden = true;
		}
	}

	function addOption(sel, s) {
		if ([...sel.options].some((o) => o.value === String(s.id))) return;
		sel.appendChild(h('option', { value: String(s.id), 'data-children': String(s.children || 0) }, s.name));
	}

	async function fill(level, parentId) {
		hide(level);
		const page = await api.get('/sites', { parent_id: parentId || null, limit: 200 });
		for (const s of page.items) addOption(selects[level], s);
		selects[level].hidden = level > 0 && page.items.length === 0;
	}

	async function cascade(level) {
		const my = ++seq;
		const v = selects[level].value;
		hide(level + 1);
		if (!v || level >= 2) return;
		try {
			await fill(level + 1, Number(v));
		} catch (err) {
			if (my === seq) toast.error(err.message);
		}
	}
	selects.forEach((sel, i) => sel.addEventListener('change', () => cascade(i)));

	const ready = fill(0, 0).catch((err) => toast.error(err.message));

	return {
		el,
		ready,
		get() {
			for (let i = 2; i >= 0; i--) if (!selects[i].hidden && selects[i].value) return Number(selects[i].value);
			return '';
		},
		/* Shows a site (and the sites above it) as chosen; 0 or '' clears. */
		async set(id) {
			const my = ++seq;
			await ready;
			if (!id || Number(id) <= 0) {
				selects[0].value = '';
				hide(1);
				return;
			}
			const chain = [];
			let cur = await api.get(`/sites/${Number(id)}`);
			chain.unshift(cur);
			while (cur.parent_id && chain.length < 3) {
				cur = await api.get(`/sites/${cur.parent_id}`);
				chain.unshift(cur);
			}
			if (my !== seq) return;
			for (let i = 0; i < chain.length; i++) {
				if (i > 0) await fill(i, chain[i - 1].id);
				if (my !== seq) return;
				addOption(selects[i], chain[i]);
				selects[i].hidden = false;
				selects[i].value = String(chain[i].id);
			}
			const last = chain[chain.length - 1];
			if (chain.length < 3 && last.children > 0) await fill(chain.length, last.id);
		},
	};
}
