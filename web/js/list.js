/*
 * list.js — a paged, sortable, filterable list bound to one API list
 * route ({items, total, limit, offset}). Pages give it the columns and a
 * function that fetches with the current query; it keeps filters, sort,
 * page and page size, shows loading/empty/error states, and steps back a
 * page when the last row of the last page disappears. A page answered
 * with "total_exact": false shows its total as "N+". sortable(state), when
 * given, says whether the column headers sort now (a search may answer in
 * an order of its own).
 *
 * The list keeps its state in the address: each load writes the filters
 * that are set, and offset, limit, sort and order when they are not the
 * defaults, into the page's hash query (#/households?q=…&offset=20), by
 * history.replaceState — no new history entry, no hashchange, so the page
 * is not drawn again. A reload, Back to the list, or a language switch
 * (which draws the page again from the address) then finds the same page:
 * the list reads offset, limit and sort back when it is made, and the page
 * puts the filters back into its form (restoreFilters). The first search
 * keeps the page the address asked for; a later one starts at the first.
 * Other parameters of the address are kept; one that opens a record
 * (?id=…) the page takes out when it opens it (takeFromAddress), so that
 * a reload after the record is closed does not open it again.
 * A filter that is a phone or ID number (personal()) is not written.
 * url: false leaves the address alone (a list that is not the page's own).
 */
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { dataTable, pager, spinner, errorState, PAGE_SIZES } from './ui.js';

/* A search for a phone or an ID number stays out of the address: the
 * address goes into the browser's history, which outlives the session on
 * a shared office PC (SPEC X5). Seven digits or more, as typed. */
function personal(v) {
	return typeof v === 'string' && /[0-9\uFF10-\uFF19]{7,}/.test(v.replace(/[\s\-\uFF0D]/g, ''));
}

/* The hash's path and query, as app.js's parseHash reads them. */
function address() {
	const raw = location.hash.replace(/^#/, '');
	const i = raw.indexOf('?');
	return { path: i >= 0 ? raw.slice(0, i) : raw, query: new URLSearchParams(i >= 0 ? raw.slice(i + 1) : '') };
}

const STATE_KEYS = ['offset', 'limit', 'sort', 'order'];

/* The number the address gives for name (0 when none), taken out of the
 * address — by replaceState, as the list writes it. */
export function takeFromAddress(name) {
	const { path, query } = address();
	const v = Number(query.get(name)) || 0;
	if (!query.has(name)) return v;
	query.delete(name);
	const qs = query.toString();
	history.replaceState(history.state, '', `#${path}${qs ? `?${qs}` : ''}`);
	return v;
}

/*
 * Puts the filters of the address into a filter form: every field the
 * query names, but those in skip (custom controls the page sets itself). A
 * select keeps its value only when it offers it.
 */
export function restoreFilters(form, query, skip = []) {
	for (const name of form.items.keys()) {
		if (skip.includes(name) || !query.has(name)) continue;
		const v = query.get(name);
		const input = form.field(name);
		if (input && input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === v)) continue;
		form.setValues({ [name]: v });
	}
}

export class ListView {
	constructor({ fetch, columns, empty, sort, limit = 20, testid, rowClass, cards = true, caption, rowKey, sortable, url = true }) {
		this.fetch = fetch;
		this.columns = columns;
		this.empty = empty;
		this.rowClass = rowClass;
		this.cards = cards;
		this.caption = caption;
		this.rowKey = rowKey;
		this.sortable = sortable || (() => true);
		this.state = { filters: {}, limit, offset: 0, sort: sort || null };
		this.defaults = { limit, sort: sort || null };
		/* the address this list writes to, and the filter names it wrote */
		this.home = url ? address().path : null;
		this.written = [];
		this.keepOffset = false;
		if (url) this.readAddress(address().query);
		/* a spinner from the start: a page may look something up (a
		 * worker's name for its filter) before the list's first load */
		this.tableSlot = h('div', { class: 'list-table' }, spinner());
		this.pagerSlot = h('div', { class: 'list-pager' });
		/* what a search found, said to a screen reader after each load: the
		   rows change under it without a word otherwise (read once the
		   list is no longer aria-busy) */
		this.status = h('div', { class: 'sr-only', role: 'status', 'data-testid': 'list-status' });
		this.el = h('div', { class: 'list', 'data-testid': testid, 'aria-busy': 'true' }, this.status, this.tableSlot, this.pagerSlot);
		this.page = null;
		this.seq = 0;
		this.lastError = null;
	}

	/* offset, limit and sort from the address, where they make sense */
	readAddress(q) {
		const limit = Number(q.get('limit'));
		if (PAGE_SIZES.includes(limit)) this.state.limit = limit;
		const offset = Number(q.get('offset'));
		if (Number.isSafeInteger(offset) && offset > 0) {
			this.state.offset = offset - (offset % this.state.limit);
			this.keepOffset = true;
		}
		const key = q.get('sort');
		const order = q.get('order');
		if (key && ['asc', 'desc'].includes(order) && this.columns.some((c) => c && c.sortKey === key)) this.state.sort = { key, order };
	}

	/* The list's state into the address, when the page is still the one shown. */
	writeAddress() {
		if (this.home === null) return;
		const { path, query } = address();
		if (path !== this.home) return;
		for (const k of [...this.written, ...STATE_KEYS]) query.delete(k);
		this.written = [];
		for (const [k, v] of Object.entries(this.state.filters)) {
			if (STATE_KEYS.includes(k) || v === '' || v === null || v === undefined || v === false || (Array.isArray(v) && !v.length)) continue;
			if (personal(v)) continue;
			query.set(k, Array.isArray(v) ? v.join(',') : String(v));
			this.written.push(k);
		}
		const st = this.state;
		const d = this.defaults;
		if (st.offset > 0) query.set('offset', String(st.offset));
		if (st.limit !== d.limit) query.set('limit', String(st.limit));
		if (st.sort && !(d.sort && d.sort.key === st.sort.key && d.sort.order === st.sort.order)) {
			query.set('sort', st.sort.key);
			query.set('order', st.sort.order);
		}
		const qs = query.toString();
		const next = `#${path}${qs ? `?${qs}` : ''}`;
		if (next !== location.hash) history.replaceState(history.state, '', next);
	}

	query() {
		const q = { ...this.state.filters, limit: this.state.limit, offset: this.state.offset };
		if (this.state.sort && this.sortable(this.state)) {
			q.sort = this.state.sort.key;
			q.order = this.state.sort.order;
		}
		return q;
	}

	/* What an export of this list asks for: the filters and sort, every row. */
	exportQuery() {
		const q = { ...this.state.filters };
		if (this.state.sort && this.sortable(this.state)) {
			q.sort = this.state.sort.key;
			q.order = this.state.sort.order;
		}
		return q;
	}

	async reload() {
		const seq = ++this.seq;
		this.keepOffset = false;
		this.writeAddress();
		this.el.setAttribute('aria-busy', 'true');
		if (!this.page) {
			clear(this.tableSlot).appendChild(spinner());
		} else {
			this.el.classList.add('is-loading');
		}
		try {
			const page = await this.fetch(this.query());
			if (seq !== this.seq) return;
			if (page.items.length === 0 && page.total > 0 && this.state.offset > 0) {
				this.state.offset = Math.max(0, (Math.ceil(page.total / this.state.limit) - 1) * this.state.limit);
				return this.reload();
			}
			this.page = page;
			this.lastError = null;
			this.render();
		} catch (err) {
			if (seq !== this.seq) return;
			this.page = null;
			this.lastError = err;
			clear(this.tableSlot).appendChild(errorState(err, () => this.reload()));
			clear(this.pagerSlot);
		} finally {
			if (seq === this.seq) {
				this.el.setAttribute('aria-busy', 'false');
				this.el.classList.remove('is-loading');
			}
		}
	}

	/* Which of the list's own controls has the focus, as a selector of
	   its replacement once the list is drawn again: the pager's buttons,
	   its page size, the column sorted by, the phone's sort select. */
	focusedControl() {
		const a = document.activeElement;
		if (!a || !this.el.contains(a)) return null;
		if (a.matches('[data-testid=pager-prev], [data-testid=pager-next]')) return [`[data-testid=${a.dataset.testid}]`, '[data-testid=pager-prev], [data-testid=pager-next]', '.pager select'];
		if (a.matches('.pager select')) return ['.pager select'];
		if (a.matches('.th-sort')) return [`.th-sort[data-sort-key="${a.dataset.sortKey}"]`];
		if (a.matches('.card-sort select')) return ['.card-sort select'];
		return null;
	}

	render() {
		const p = this.page;
		const sortable = this.sortable(this.state);
		/* the control pressed is drawn anew with the rows: the focus goes
		   to its replacement, not to the top of the document — to the
		   other pager button when the one pressed is now disabled (the
		   last page reached) */
		const refocus = this.focusedControl();
		clear(this.tableSlot).appendChild(
			dataTable({
				columns: this.columns,
				rows: p.items,
				empty: typeof this.empty === 'function' ? this.empty(this.state) : this.empty,
				sort: sortable ? this.state.sort : null,
				onSort: sortable
					? (s) => {
							this.state.sort = s || this.defaults.sort;
							this.state.offset = 0;
							this.reload();
						}
					: null,
				rowClass: this.rowClass,
				rowKey: this.rowKey,
				cards: this.cards,
				caption: this.caption,
			}),
		);
		clear(this.pagerSlot).appendChild(
			pager({
				total: p.total,
				limit: this.state.limit,
				offset: this.state.offset,
				totalExact: p.total_exact !== false,
				onChange: (offset, limit) => {
					this.state.offset = Math.max(0, offset);
					this.state.limit = limit;
					/* a new page is read from its top: on a phone the pager
					   is a long scroll of cards below it */
					Promise.resolve(this.reload()).then(() => {
						const header = document.querySelector('.header');
						const below = header ? header.getBoundingClientRect().bottom : 0;
						if (this.el.isConnected && this.el.getBoundingClientRect().top < below) this.el.scrollIntoView({ block: 'start' });
					});
				},
			}),
		);
		if (refocus) {
			for (const sel of refocus) {
				const next = [...this.el.querySelectorAll(sel)].find((x) => !x.disabled && x.offsetParent !== null);
				if (next) {
					next.focus({ preventScroll: true });
					break;
				}
			}
		}
		this.announce();
	}

	/* The total found, or the empty list's words, into the status. The
	   same words again (another page of as many) are still read: they
	   are written anew with a different invisible end. */
	announce() {
		const p = this.page;
		let text;
		if (!p.items.length) text = (typeof this.empty === 'function' ? this.empty(this.state) : this.empty) || t('common.empty');
		else text = p.total_exact !== false ? t('pager.total', { n: p.total }) : t('pager.totalAtLeast', { n: p.total });
		if (typeof text !== 'string') text = t('common.empty');
		this.status.textContent = this.status.textContent === text ? `${text}\u00a0` : text;
	}

	search(filters) {
		this.state.filters = filters;
		if (!this.keepOffset) this.state.offset = 0;
		return this.reload();
	}
}
