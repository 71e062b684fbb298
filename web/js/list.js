/*
 * list.js — a paged, sortable, filterable list bound to one API list
 * route ({items, total, limit, offset}). Pages give it the columns and a
 * function that fetches with the current query; it keeps filters, sort,
 * page and page size, shows loading/empty/error states, and steps back a
 * page when the last row of the last page disappears. A page answered
 * with "total_exact": false shows its total as "N+". sortable(state), when
 * given, says whether the column headers sort now (a search may answer in
 * an order of its own).
 */
import { h, clear } from './dom.js';
import { dataTable, pager, spinner, errorState } from './ui.js';

export class ListView {
	constructor({ fetch, columns, empty, sort, limit = 20, testid, rowClass, cards = true, caption, rowKey, sortable }) {
		this.fetch = fetch;
		this.columns = columns;
		this.empty = empty;
		this.rowClass = rowClass;
		this.cards = cards;
		this.caption = caption;
		this.rowKey = rowKey;
		this.sortable = sortable || (() => true);
		this.state = { filters: {}, limit, offset: 0, sort: sort || null };
		this.tableSlot = h('div', { class: 'list-table' });
		this.pagerSlot = h('div', { class: 'list-pager' });
		this.el = h('div', { class: 'list', 'data-testid': testid, 'aria-busy': 'false' }, this.tableSlot, this.pagerSlot);
		this.page = null;
		this.seq = 0;
		this.lastError = null;
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

	render() {
		const p = this.page;
		const sortable = this.sortable(this.state);
		clear(this.tableSlot).appendChild(
			dataTable({
				columns: this.columns,
				rows: p.items,
				empty: typeof this.empty === 'function' ? this.empty(this.state) : this.empty,
				sort: sortable ? this.state.sort : null,
				onSort: sortable
					? (s) => {
							this.state.sort = s;
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
					this.reload();
				},
			}),
		);
	}

	search(filters) {
		this.state.filters = filters;
		this.state.offset = 0;
		return this.reload();
	}
}
