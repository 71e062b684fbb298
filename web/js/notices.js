/*
 * notices.js — the notification centre's bell in the header: the number
 * of unread notices (GET /api/v1/notifications?limit=1 answers `unread`),
 * asked again on every navigation and every minute; pressed, it opens a
 * panel with the latest notices (title, text, time, a link to what they
 * are about), one or all to be marked read, and the way to the whole
 * list (#/notifications). Each user sees only their own notices.
 *
 * A notice's link is followed only when it is a route of this console
 * ("#/…"): a notice is text from the server, never a way to another site.
 */
import { h, icon, nextId } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { can } from './session.js';
import { fmtDateTime } from './format.js';
import { button, popover, spinner, toast } from './ui.js';
import { safeRoute } from './fieldstaff.js';

const P = {
	list: 'GET /api/v1/notifications',
	read: 'POST /api/v1/notifications/:id/read',
	readAll: 'POST /api/v1/notifications/read-all',
};
const POLL_MS = 60000;
const PANEL_ITEMS = 6;

let timer = null;
let seq = 0;
let bell = null; /* the shell's bell: {setCount(n), refreshPanel()} */

export function startPolling() {
	stopPolling();
	timer = setInterval(refreshBell, POLL_MS);
}

export function stopPolling() {
	if (timer) clearInterval(timer);
	timer = null;
	seq++;
}

/* Asks the server how many notices are unread and shows it. */
export async function refreshBell() {
	if (!bell || !can(P.list)) return;
	const my = ++seq;
	try {
		const p = await api.get('/notifications', { limit: 1 });
		if (my === seq && bell) bell.setCount(p.unread || 0);
	} catch {
		/* the bell keeps its last count; a lost session is handled by api.js */
	}
}

export const mayMarkRead = () => can(P.read);
export const mayMarkAll = () => can(P.readAll);

/* Who is told when notices are marked read, wherever it was done (the
 * bell's panel or the notification centre): the centre's list follows. */
const readListeners = new Set();

/* onNoticesRead(fn) → a function that stops telling fn. */
export function onNoticesRead(fn) {
	readListeners.add(fn);
	return () => readListeners.delete(fn);
}

function noticesRead() {
	refreshBell();
	for (const fn of [...readListeners]) fn();
}

export async function markRead(id) {
	await api.post(`/notifications/${id}/read`);
	noticesRead();
}

export async function markAllRead() {
	await api.post('/notifications/read-all');
	noticesRead();
}

/* One notice as the panel and the page show it. */
export function noticeItem(n, { onRead, onFollow, compact = false } = {}) {
	const route = safeRoute(n.link);
	const text = [
		h('span', { class: 'notice-title', 'data-testid': 'notice-title' }, n.title),
		h('span', { class: ['notice-body', compact ? 'is-clamped' : 'pre-line'], 'data-testid': 'notice-body' }, n.body),
		h('span', { class: 'notice-time' }, fmtDateTime(n.created_at)),
	];
	const main = route
		? h(
				'a',
				{
					class: 'notice-main',
					href: route,
					'data-testid': 'notice-link',
					onclick: () => {
						if (!n.read && mayMarkRead()) markRead(n.id).catch(() => {});
						if (onFollow) onFollow();
					},
				},
				text,
			)
		: h('div', { class: 'notice-main' }, text);
	return h(
		'div',
		{ class: ['notice-item', n.read ? 'is-read' : 'is-unread'], 'data-id': String(n.id), 'data-read': String(n.read), 'data-kind': n.kind },
		h('span', { class: 'notice-dot', 'aria-hidden': 'true' }),
		h('span', { class: 'sr-only' }, n.read ? t('notice.read') : t('notice.unread')),
		main,
		!n.read && mayMarkRead() && onRead ? button('', { kind: 'text', size: 'sm', icon: 'check', title: t('notice.markRead'), cls: 'notice-mark', testid: 'notice-mark-read', onClick: () => onRead(n) }) : null,
	);
}

export function noticeBell() {
	const panelId = nextId('notice-panel');
	const count = h('span', { class: 'bell-count', 'data-testid': 'notice-count', hidden: true });
	const trigger = h('button', { type: 'button', class: 'bell-trigger', 'data-testid': 'notice-bell', 'aria-expanded': 'false', 'aria-controls': panelId }, icon('bell'), count);
	const listSlot = h('div', { class: 'bell-list' });
	const allRead = mayMarkAll() ? button(t('notice.readAll'), { kind: 'link', size: 'sm', testid: 'bell-read-all', onClick: () => readAll() }) : null;
	const panel = h(
		'div',
		{ class: 'bell-panel', id: panelId, role: 'dialog', 'aria-label': t('notice.title'), hidden: true, 'data-testid': 'notice-panel' },
		h('div', { class: 'bell-head' }, h('strong', null, t('notice.title')), allRead),
		listSlot,
		h('div', { class: 'bell-foot' }, h('a', { href: '#/notifications', 'data-testid': 'bell-all', onclick: () => hide() }, t('notice.viewAll'))),
	);
	const wrap = h('div', { class: 'bell' }, trigger, panel);
	let n = 0;

	function setCount(v) {
		n = v;
		count.hidden = v <= 0;
		count.textContent = v > 99 ? '99+' : String(v);
		trigger.setAttribute('aria-label', v > 0 ? t('notice.bellUnread', { n: v }) : t('notice.bell'));
		trigger.classList.toggle('has-unread', v > 0);
	}

	async function refreshPanel() {
		if (panel.hidden) return;
		try {
			const p = await api.get('/notifications', { limit: PANEL_ITEMS });
			setCount(p.unread || 0);
			if (allRead) allRead.disabled = !p.unread;
			listSlot.replaceChildren(
				p.items.length
					? h('div', { class: 'notice-list', 'data-testid': 'bell-items' }, p.items.map((x) => noticeItem(x, { compact: true, onFollow: hide, onRead: readOne })))
					: h('p', { class: 'bell-empty', 'data-testid': 'bell-empty' }, t('notice.empty')),
			);
		} catch (err) {
			listSlot.replaceChildren(h('p', { class: 'bell-empty text-error' }, err.message));
		}
	}

	async function readOne(x) {
		try {
			await markRead(x.id);
		} catch (err) {
			toast.error(err.message);
		}
		refreshPanel();
	}

	async function readAll() {
		try {
			await markAllRead();
			toast.success(t('notice.allMarked'));
		} catch (err) {
			toast.error(err.message);
		}
		refreshPanel();
	}

	/* tabbing out of the panel closes it (a click inside on no control keeps
	 * it), and so does going to another page */
	const onFocusOut = (e) => {
		if (e.relatedTarget && !wrap.contains(e.relatedTarget)) hide();
	};
	const onRoute = () => hide();
	const { hide } = popover(wrap, trigger, panel, {
		onShow: () => {
			listSlot.replaceChildren(spinner());
			window.addEventListener('hashchange', onRoute);
			wrap.addEventListener('focusout', onFocusOut);
			refreshPanel().then(() => {
				const first = panel.querySelector('a, button:not([disabled])');
				if (first && !panel.hidden) first.focus();
			});
		},
		onHide: () => {
			window.removeEventListener('hashchange', onRoute);
			wrap.removeEventListener('focusout', onFocusOut);
		},
	});

	setCount(0);
	bell = { setCount, refreshPanel, get count() {
		return n;
	} };
	return wrap;
}
