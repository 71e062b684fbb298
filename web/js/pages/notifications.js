/*
 * notifications.js — the notification centre (#/notifications): the
 * signed-in user's own notices, newest first, paged, all or unread only;
 * each with its title, text, time and a link to what it is about (the
 * daily "certificates ending within 30 days" opens #/certificates); one
 * or all to be marked read. The header's bell follows (notices.js), and
 * the list follows what is marked read in the bell's panel.
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { fmtDateTime } from '../format.js';
import { ListView, restoreFilters } from '../list.js';
import { Form, button, busy, tag, card, pageHeader, filterBar, toast } from '../ui.js';
import { noticeItem, markRead, markAllRead, mayMarkAll, mayMarkRead, onNoticesRead } from '../notices.js';

export async function render({ el, query }) {
	const columns = [
		{ key: 'notice', title: t('notice.col.notice'), cls: 'col-wide', render: (n) => noticeItem(n, { onRead: readOne }) },
		{ key: 'created_at', title: t('notice.col.time'), nowrap: true, render: (n) => fmtDateTime(n.created_at) },
		{ key: 'read', title: t('notice.col.state'), render: (n) => (n.read ? tag(t('notice.read'), 'default', { 'data-testid': 'notice-state' }) : tag(t('notice.unread'), 'blue', { 'data-testid': 'notice-state' })) },
	];
	const list = new ListView({
		fetch: async (q) => {
			const p = await api.get('/notifications', q);
			if (allBtn) allBtn.disabled = !p.unread;
			unreadNote.textContent = t('notice.unreadN', { n: p.unread || 0 });
			return p;
		},
		columns,
		empty: t('notice.empty'),
		testid: 'notice-list',
		caption: t('nav.notifications'),
		rowClass: (n) => (n.read ? 'is-read' : 'is-unread'),
	});
	const unreadNote = h('span', { class: 'text-secondary', 'data-testid': 'notice-unread' });

	const filters = new Form([{ name: 'unread', label: t('notice.show'), type: 'select', options: [{ value: '', label: t('notice.showAll') }, { value: 'true', label: t('notice.showUnread') }] }], { layout: 'inline', testid: 'notice-filter' });
	restoreFilters(filters, query);
	const search = () => list.search(filters.values());

	/* a notice marked read, here or in the bell's panel, reloads the list */
	async function readOne(n) {
		try {
			await markRead(n.id);
		} catch (err) {
			toast.error(err.message);
			list.reload();
		}
	}

	const allBtn = mayMarkAll()
		? button(t('notice.readAll'), {
				icon: 'check',
				testid: 'notice-read-all',
				onClick: () =>
					busy(allBtn, async () => {
						try {
							await markAllRead();
							toast.success(t('notice.allMarked'));
						} catch (err) {
							toast.error(err.message);
							await list.reload();
						}
					}),
			})
		: null;

	el.append(
		pageHeader(t('nav.notifications'), { desc: mayMarkRead() ? t('notice.desc') : t('notice.descRead'), actions: [unreadNote, allBtn] }),
		filterBar(filters, { onSearch: search, onReset: search }),
		card(null, list.el, { cls: 'card-table' }),
	);
	const stop = onNoticesRead(() => list.reload());
	try {
		await search();
	} catch (err) {
		stop();	/* no page to follow: app.js gets no cleanup from a render that threw */
		throw err;
	}
	return stop;
}
