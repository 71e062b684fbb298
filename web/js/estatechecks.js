/*
 * estatechecks.js — choosing estates (项目/小区) by ticking them: which
 * sites an account limited to some of them sees (SPEC X1). Every estate of
 * the organisation is listed, by name as the API sorts them; past a dozen
 * a box above the list narrows it by name (ticks stay while hidden), and
 * a line under it counts what is ticked.
 *
 *   const c = estateChecks({label, testid});  c.el, c.get(), c.set(ids)
 *
 * The value is the ticked estate ids, as numbers. Used as a Form field
 * with {type: 'custom', control: c}.
 */
import { h } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { spinner, errorState } from './ui.js';

/* the API's largest page; an organisation has a few hundred estates at most */
const PAGE = 200;
/* more estates than this get the filter box */
const FILTER_FROM = 12;

/* Every estate of the organisation, a page at a time. */
export async function allEstates() {
	const out = [];
	for (;;) {
		const page = await api.get('/sites', { kind: 'estate', limit: PAGE, offset: out.length });
		out.push(...page.items);
		if (!page.items.length || out.length >= page.total) return out;
	}
}

export function estateChecks({ label, testid } = {}) {
	/* the ids to show ticked: set() may come before the estates have */
	let wanted = [];
	let estates = null;
	let boxes = null;
	const list = h('div', { class: 'checkbox-group estate-checks-list', role: 'group', 'aria-label': label }, spinner());
	const count = h('div', { class: 'form-help', 'aria-live': 'polite', 'data-testid': testid ? `${testid}-count` : null });
	const filter = h('input', {
		type: 'text',
		class: 'input estate-checks-filter',
		autocomplete: 'off',
		placeholder: t('user.sites.filter'),
		'aria-label': t('user.sites.filter'),
		'data-testid': testid ? `${testid}-filter` : null,
	});
	const el = h('div', { class: 'estate-checks', 'data-testid': testid }, list, count);

	const ticked = () => (boxes ? boxes.filter((b) => b.checked).map((b) => Number(b.value)) : [...wanted]);

	function showCount() {
		const n = ticked().length;
		count.textContent = n ? t('user.sites.chosen', { n }) : t('user.sites.none');
		count.classList.toggle('text-warning', n === 0);
	}

	function box(id, name) {
		const input = h('input', { type: 'checkbox', value: String(id), checked: wanted.includes(id) });
		return h('label', { class: 'checkbox', 'data-name': name.toLowerCase() }, input, h('span', null, name));
	}

	/* Ticks what set() asked for; an id no estate of the list has (not
	 * readable here) stays as a box of its own, so saving keeps it. */
	function draw() {
		const known = new Set(estates.map((s) => s.id));
		const items = [...estates.map((s) => box(s.id, s.name)), ...wanted.filter((id) => !known.has(id)).map((id) => box(id, t('user.sites.unknown', { id })))];
		boxes = items.map((l) => l.querySelector('input'));
		list.replaceChildren(...(items.length ? items : [h('p', { class: 'text-secondary' }, t('user.sites.noEstates'))]));
		if (estates.length > FILTER_FROM && !filter.isConnected) el.prepend(filter);
		narrow();
		showCount();
	}

	function narrow() {
		const q = filter.value.trim().toLowerCase();
		for (const l of list.querySelectorAll('label')) l.hidden = Boolean(q) && !l.dataset.name.includes(q);
	}

	async function load() {
		list.replaceChildren(spinner());
		try {
			estates = await allEstates();
			draw();
		} catch (err) {
			list.replaceChildren(errorState(err, load));
		}
	}

	filter.addEventListener('input', narrow);
	filter.addEventListener('keydown', (e) => {
		/* Enter narrows, it does not save the form around it */
		if (e.key === 'Enter') e.preventDefault();
		/* Escape empties the box first; only an empty one lets the drawer close */
		if (e.key === 'Escape' && filter.value) {
			e.preventDefault();
			e.stopPropagation();
			filter.value = '';
			narrow();
		}
	});
	list.addEventListener('change', showCount);
	showCount();
	load();

	return {
		el,
		get: ticked,
		set(ids) {
			wanted = (ids || []).map(Number);
			if (estates) draw();
			else showCount();
		},
	};
}
