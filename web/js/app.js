/*
 * app.js — boot, session restore, the hash router and the console layout
 * (left navigation, header with breadcrumb, language switch and user menu).
 *
 * Routes are "#/path?query". What a user may open follows the session's
 * permission list: a menu item appears only when its GET route is allowed,
 * and opening a page without it shows "no permission" instead of calling
 * the API. A user who must change the initial password is held on the
 * password page until it is done.
 *
 * A route may take a number from the path ("/staff/:id", the personal
 * file): the page gets it as params.id and may name itself in the
 * breadcrumb (setTitle); `parent` is the list page it belongs to, whose
 * menu item stays lit. The header's bell shows the unread notices
 * (notices.js), asked again on every navigation and every minute.
 */
import { h, icon, clear } from './dom.js';
import { t, getLang, setLang, languages } from './i18n.js';
import { onApiEvent } from './api.js';
import { session, signedIn, loadSession, clearSession, logout, can, mustChangePassword, inOffice } from './session.js';
import { button, dropdown, toast, spinner, errorState, closeAllOverlays, topOverlayDirty, dismissTopOverlay, overlaysDirty, confirm } from './ui.js';
import { signInAgain } from './reauth.js';
import { noticeBell, refreshBell, startPolling, stopPolling } from './notices.js';

import * as loginPage from './pages/login.js';
import * as passwordPage from './pages/password.js';
import * as homePage from './pages/home.js';
import * as usersPage from './pages/users.js';
import * as rolesPage from './pages/roles.js';
import * as auditPage from './pages/audit.js';
import * as calendarPage from './pages/calendar.js';
import * as jobsPage from './pages/jobs.js';
import * as orgPage from './pages/organisation.js';
import * as sitesPage from './pages/sites.js';
import * as householdsPage from './pages/households.js';
import * as staffPage from './pages/staff.js';
import * as importPage from './pages/import.js';
import * as staffFilePage from './pages/stafffile.js';
import * as certificatesPage from './pages/certificates.js';
import * as trainingsPage from './pages/trainings.js';
import * as assignmentsPage from './pages/assignments.js';
import * as jobRulesPage from './pages/jobrules.js';
import * as notificationsPage from './pages/notifications.js';
import * as myWorkPage from './pages/mywork.js';

/* group: the navigation section; perm: the GET route the page needs
 * (anyPerm: one of these routes). */
const ROUTES = [
	{ path: '/', title: 'nav.home', icon: 'home', page: homePage },
	{ path: '/my', title: 'nav.myWork', icon: 'clipboard', group: 'work', perm: 'GET /api/v1/my/assignments', page: myWorkPage },
	{ path: '/calendar', title: 'nav.calendar', icon: 'calendar', group: 'work', perm: 'GET /api/v1/calendar/:id', page: calendarPage },
	{ path: '/assignments', title: 'nav.assignments', icon: 'clipboard', group: 'work', perm: 'GET /api/v1/assignments', page: assignmentsPage },
	{ path: '/sites', title: 'nav.sites', icon: 'building', group: 'master', perm: 'GET /api/v1/sites', page: sitesPage },
	{ path: '/households', title: 'nav.households', icon: 'household', group: 'master', perm: 'GET /api/v1/households', page: householdsPage },
	{ path: '/staff', title: 'nav.staff', icon: 'badge', group: 'master', perm: 'GET /api/v1/staff', page: staffPage },
	{ path: '/staff/:id', title: 'nav.staffFile', icon: 'badge', group: 'master', parent: '/staff', perm: 'GET /api/v1/staff/:id/record', page: staffFilePage, hidden: true },
	{ path: '/certificates', title: 'nav.certificates', icon: 'cert', group: 'master', perm: 'GET /api/v1/certificates', page: certificatesPage },
	{ path: '/trainings', title: 'nav.trainings', icon: 'clipboard', group: 'master', perm: 'GET /api/v1/trainings', page: trainingsPage },
	{ path: '/job-rules', title: 'nav.jobRules', icon: 'sliders', group: 'master', perm: 'GET /api/v1/job-rules', page: jobRulesPage },
	{ path: '/import', title: 'nav.import', icon: 'upload', group: 'master', anyPerm: ['POST /api/v1/imports/households', 'POST /api/v1/imports/staff'], page: importPage },
	{ path: '/users', title: 'nav.users', icon: 'users', group: 'system', perm: 'GET /api/v1/users', page: usersPage },
	/* open to anyone, in the menu of the office only: a table of API routes is noise on a field worker's phone */
	{ path: '/roles', title: 'nav.roles', icon: 'shield', group: 'system', perm: 'GET /api/v1/roles', menuIf: inOffice, page: rolesPage },
	{ path: '/organisation', title: 'nav.organisation', icon: 'org', group: 'system', perm: 'GET /api/v1/tenant', menuIf: inOffice, page: orgPage },
	{ path: '/jobs', title: 'nav.jobs', icon: 'jobs', group: 'system', perm: 'GET /api/v1/jobs', page: jobsPage },
	{ path: '/audit', title: 'nav.audit', icon: 'audit', group: 'audit', perm: 'GET /api/v1/audit', page: auditPage },
	{ path: '/password', title: 'nav.password', icon: 'key', perm: 'PUT /api/v1/session/password', page: passwordPage, hidden: true },
	{ path: '/notifications', title: 'nav.notifications', icon: 'bell', perm: 'GET /api/v1/notifications', page: notificationsPage, hidden: true },
];
const GROUPS = [
	{ key: null },
	{ key: 'work', title: 'nav.group.work' },
	{ key: 'master', title: 'nav.group.master' },
	{ key: 'system', title: 'nav.group.system' },
	{ key: 'audit', title: 'nav.group.audit' },
];

const root = document.getElementById('app');
let shell = null; /* {userId, lang, el, content, nav, crumbs} */
let cleanup = null;
let lostSession = false;

/* ---- hash routing ---- */

export function parseHash() {
	const raw = location.hash.replace(/^#/, '') || '/';
	const i = raw.indexOf('?');
	const path = (i >= 0 ? raw.slice(0, i) : raw) || '/';
	const query = new URLSearchParams(i >= 0 ? raw.slice(i + 1) : '');
	return { path: path.length > 1 ? path.replace(/\/+$/, '') : path, query, raw };
}

export function navigate(path, { replace = false } = {}) {
	const target = `#${path}`;
	if (location.hash === target) {
		route();
		return;
	}
	if (replace) location.replace(target);
	else location.hash = target;
}

/* The route for a path and the numbers its ":name" parts took. */
function match(path) {
	const parts = path.split('/');
	for (const r of ROUTES) {
		if (!r.path.includes(':')) {
			if (r.path === path) return { r, params: {} };
			continue;
		}
		const want = r.path.split('/');
		if (want.length !== parts.length) continue;
		const params = {};
		const ok = want.every((w, i) => {
			if (!w.startsWith(':')) return w === parts[i];
			if (!/^[1-9]\d{0,15}$/.test(parts[i])) return false;
			params[w.slice(1)] = Number(parts[i]);
			return true;
		});
		if (ok) return { r, params };
	}
	return null;
}

function visible(r) {
	if (r.anyPerm) return r.anyPerm.some((p) => can(p));
	return !r.perm || can(r.perm);
}

/* ---- layout ---- */

function langSwitch() {
	return h(
		'div',
		{ class: 'lang-switch', role: 'group', 'aria-label': t('lang.label') },
		languages.map((l) =>
			h(
				'button',
				{
					type: 'button',
					class: ['lang-btn', l === getLang() ? 'is-active' : ''],
					'aria-pressed': l === getLang() ? 'true' : 'false',
					lang: l,
					'data-lang': l,
					onclick: () => switchLang(l),
				},
				t(`lang.${l}`),
			),
		),
	);
}

function switchLang(l) {
	if (l === getLang()) return;
	setLang(l);
	closeAllOverlays();
	shell = null;
	route();
	/* the screen is drawn anew: the focus goes to the switch pressed, as
	   drawn in the new language, not to the top of the page */
	const pressed = root.querySelector(`.lang-btn[data-lang="${l}"]`);
	if (!pressed) return;
	pressed.focus();
	/* a screen that focuses its first field once drawn (sign-in) does so
	   a moment later: the switch takes it back, but not from a drawer */
	setTimeout(() => {
		if (pressed.isConnected && !document.querySelector('.overlay')) pressed.focus();
	}, 0);
}

/*
 * A page drawn in place of the last one takes the focus to its title
 * (else to the content) when the focus was on something the new page
 * replaced — the menu link, a breadcrumb, a button of the old page —
 * and so would fall back to the top of the document: the next Tab goes
 * on from the new page, and a screen reader reads its title. A control
 * that outlived the change (the language switch, the bell) keeps the
 * focus; so does the first page drawn after the document loads.
 */
let drawnOnce = false;
function focusPage(view) {
	const first = !drawnOnce;
	drawnOnce = true;
	if (first || !view.isConnected) return;
	const a = document.activeElement;
	if (a && a !== document.body && a.isConnected) return;
	const title = view.querySelector('h1');
	if (title) title.setAttribute('tabindex', '-1');
	(title || shell.content).focus({ preventScroll: true });
}

function buildNav(current) {
	const nav = h('nav', { class: 'nav', 'aria-label': t('nav.label') });
	for (const g of GROUPS) {
		const items = ROUTES.filter((r) => !r.hidden && (r.group || null) === g.key && visible(r) && (!r.menuIf || r.menuIf()));
		if (!items.length) continue;
		const list = h(
			'ul',
			{ class: 'nav-list' },
			items.map((r) =>
				h(
					'li',
					null,
					h(
						'a',
						{
							class: ['nav-item', r.path === current ? 'is-active' : ''],
							href: `#${r.path}`,
							'data-nav': r.path,
							'aria-current': r.path === current ? 'page' : null,
							onclick: () => setNavOpen(false),
						},
						icon(r.icon),
						h('span', null, t(r.title)),
					),
				),
			),
		);
		nav.appendChild(h('div', { class: 'nav-group' }, g.title ? h('div', { class: 'nav-group-title' }, t(g.title)) : null, list));
	}
	return nav;
}

function userMenu() {
	const u = session.user;
	const initial = (u.display_name || u.username || '?').trim().slice(0, 1);
	const trigger = h(
		'button',
		{ type: 'button', class: 'user-trigger', 'data-testid': 'user-menu' },
		h('span', { class: 'avatar', 'aria-hidden': 'true' }, initial),
		h('span', { class: 'user-name' }, u.display_name || u.username),
		icon('down', 'user-caret'),
	);
	trigger.setAttribute('aria-label', t('user.menu', { name: u.display_name || u.username }));
	return dropdown(trigger, [
		{ label: t('nav.password'), icon: 'key', testid: 'menu-password', onClick: () => navigate('/password') },
		'-',
		{ label: t('auth.signOut'), icon: 'logout', testid: 'menu-signout', danger: true, onClick: signOut },
	]);
}

async function signOut() {
	closeAllOverlays();
	stopPolling();
	try {
		await logout();
	} catch {
		/* the session is forgotten here whatever the server said */
	}
	shell = null;
	toast.success(t('auth.signedOut'));
	navigate('/login', { replace: true });
}

function buildShell() {
	const content = h('main', { class: 'content', id: 'content', tabindex: '-1' });
	const crumbs = h('ol', { class: 'breadcrumb' });
	const navSlot = h('div', { class: 'sider-nav' });
	const toggle = button('', {
		kind: 'text',
		icon: 'menu',
		title: t('nav.toggle'),
		cls: 'nav-toggle',
		testid: 'nav-toggle',
		onClick: () => {
			const open = !document.body.classList.contains('nav-open');
			setNavOpen(open);
			if (open) {
				const first = navSlot.querySelector('a');
				if (first) first.focus();
			}
		},
	});
	toggle.setAttribute('aria-controls', 'sider');
	toggle.setAttribute('aria-expanded', 'false');
	const sider = h(
		'aside',
		{ class: 'sider', id: 'sider', 'aria-label': t('nav.label') },
		h(
			'a',
			{ class: 'brand', href: '#/' },
			h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, t('app.mark')),
			h('span', { class: 'brand-text' }, h('span', { class: 'brand-name' }, t('app.name')), h('span', { class: 'brand-sub' }, t('app.brand'))),
		),
		h('div', { class: 'org-name', 'data-testid': 'org-name', title: session.tenant.name }, icon('org'), h('span', null, session.tenant.name)),
		navSlot,
		h('div', { class: 'sider-foot' }, t('app.version', { v: session.version })),
	);
	const header = h(
		'header',
		{ class: 'header' },
		toggle,
		h('nav', { class: 'crumbs', 'aria-label': t('nav.breadcrumb') }, crumbs),
		h('div', { class: 'header-right' }, can('GET /api/v1/notifications') ? noticeBell({ navigate }) : null, langSwitch(), userMenu()),
	);
	const main = h('div', { class: 'main' }, header, content);
	const el = h(
		'div',
		{ class: 'layout' },
		h('a', { class: 'skip-link', href: '#content', onclick: (e) => { e.preventDefault(); content.focus(); } }, t('nav.skip')),
		sider,
		h('div', { class: 'nav-mask', onclick: () => setNavOpen(false) }),
		main,
	);
	return { userId: session.user.id, lang: getLang(), el, content, navSlot, crumbs, toggle, main };
}

/* The phone's menu, opened over the page or closed. Open, the page under
   its mask is inert: Tab stays in the menu, and a screen reader does not
   wander under the mask. */
function setNavOpen(open) {
	document.body.classList.toggle('nav-open', open);
	if (!shell) return;
	shell.toggle.setAttribute('aria-expanded', String(open));
	shell.main.inert = open;
}

document.addEventListener('keydown', (e) => {
	if (e.key === 'Escape' && document.body.classList.contains('nav-open')) {
		setNavOpen(false);
		if (shell) shell.toggle.focus();
	}
});
/* a window widened past a phone's has no menu to close: the page is not
   left inert under it */
window.matchMedia('(max-width: 992px)').addEventListener('change', (e) => {
	if (!e.matches && document.body.classList.contains('nav-open')) setNavOpen(false);
});

/*
 * On a phone a drawer fills the screen and reads as a page of its own, so
 * Back closes it rather than leaving the page under it. While a drawer is
 * open the history has an entry of its own for it: the same address with
 * the state {drawer: true}, pushed by history.pushState (no hashchange, so
 * the page is not drawn again). Back returns to the entry before it and
 * popstate closes the drawer; a drawer closed any other way takes its
 * entry back (history.back(), the same address, nothing drawn again). A
 * drawer's entry found without a drawer (the page was left from inside
 * one) is stepped over.
 */
const phone = window.matchMedia('(max-width: 640px)');
const openDrawers = () => document.querySelectorAll('.overlay-drawer:not(.is-leaving)').length;
const onDrawerEntry = () => Boolean(history.state && history.state.drawer);
/* One step back at a time: a drawer and the question on it go in two
   removals, and the first step has not landed when the second is seen. */
let stepping = false;
const stepBack = () => {
	if (stepping) return;
	stepping = true;
	history.back();
};
let shown = { at: 0, index: null };	/* the entry of the page on screen (route()) */
const entryIndex = () => (window.navigation && navigation.currentEntry ? navigation.currentEntry.index : null);
/* A drawer's entry stands in the history for the drawers open now: Back
   closes them, even in a window widened past a phone's since. */
let drawerEntry = false;
/* The drawer's entry, which the page on screen now stands at: a move away
   from the drawer's edits is counted from it (onHashChange). */
const pushDrawerEntry = () => {
	history.pushState({ ...history.state, drawer: true }, '');
	shown.index = entryIndex();
	drawerEntry = true;
};
new MutationObserver(() => {
	if (!openDrawers()) drawerEntry = false;
	if (openDrawers() && !onDrawerEntry() && phone.matches) pushDrawerEntry();
	else if (!openDrawers() && onDrawerEntry()) stepBack();
}).observe(document.body, { childList: true });
/* a window narrowed to a phone's with a drawer open: the drawer becomes a
   page of its own, and Back closes it from then on */
phone.addEventListener('change', () => {
	if (phone.matches && openDrawers() && !onDrawerEntry()) pushDrawerEntry();
});
window.addEventListener('popstate', () => {
	stepping = false;
	if (undoing !== null) {
		/* the undo of a move away from edits (onHashChange): its
		   hashchange, if the address changed, is not a move */
		ignoreHash = location.hash !== undoing;
		undoing = null;
		return;
	}
	if (openDrawers() && !onDrawerEntry() && (phone.matches || drawerEntry)) {
		/* Back asks what Escape asks of a drawer holding edits: its entry
		   is put back while the question is open */
		if (topOverlayDirty()) {
			pushDrawerEntry();
			dismissTopOverlay();
		} else closeAllOverlays();
	} else if (!openDrawers() && onDrawerEntry()) stepBack();
});

/* The organisation's name changes on the organisation page. */
export function refreshOrgName() {
	const el = document.querySelector('[data-testid=org-name] span');
	if (el && session.tenant) {
		el.textContent = session.tenant.name;
		el.parentElement.title = session.tenant.name;
	}
}

function setCrumbs(r, title) {
	const items = [{ label: t('nav.home'), href: r.path === '/' ? null : '#/' }];
	if (r.path !== '/') {
		const g = GROUPS.find((x) => x.key === r.group);
		if (g && g.title) items.push({ label: t(g.title) });
		const parent = r.parent ? ROUTES.find((x) => x.path === r.parent) : null;
		if (parent && visible(parent)) items.push({ label: t(parent.title), href: `#${parent.path}` });
		items.push({ label: title ? t('nav.crumbNamed', { page: t(r.title), name: title }) : t(r.title) });
	}
	clear(shell.crumbs);
	items.forEach((it, i) => {
		const last = i === items.length - 1;
		shell.crumbs.appendChild(
			h('li', { class: 'crumb' }, it.href && !last ? h('a', { href: it.href }, it.label) : h('span', { 'aria-current': last ? 'page' : null }, it.label)),
		);
	});
}

/* ---- rendering pages ---- */

function runCleanup() {
	if (typeof cleanup === 'function') {
		try {
			cleanup();
		} catch {
			/* a page's cleanup must not stop navigation */
		}
	}
	cleanup = null;
}

function authScreen(page, ctx) {
	runCleanup();
	stopPolling();
	shell = null;
	drawnOnce = true;
	document.body.classList.remove('nav-open');
	const content = h('div', { class: 'auth-content' });
	const el = h(
		'div',
		{ class: 'auth-layout' },
		h('div', { class: 'auth-top' }, langSwitch()),
		h(
			'div',
			{ class: 'auth-brand' },
			h('span', { class: 'brand-mark brand-mark-lg', 'aria-hidden': 'true' }, t('app.mark')),
			h('div', null, h('div', { class: 'auth-title' }, t('app.name')), h('div', { class: 'auth-sub' }, t('app.tagline'))),
		),
		content,
		h('footer', { class: 'auth-foot' }, t('app.footer')),
	);
	clear(root).appendChild(el);
	cleanup = page.render({ ...ctx, el: content, forced: true }) || null;
}

async function renderPage(r, query, params, path) {
	runCleanup();
	closeAllOverlays();
	const content = shell.content;
	clear(content);
	document.title = `${t(r.title)} · ${t('app.name')}`;
	setCrumbs(r);
	clear(shell.navSlot).appendChild(buildNav(r.parent || r.path));
	/* Each render gets its own container: a page still loading when the user
	 * moves on writes into a detached node, never into the next page. */
	const view = h('div', { class: 'view', 'data-page': path });
	content.appendChild(view);
	if (!visible(r)) {
		view.appendChild(
			h(
				'div',
				{ class: 'result', 'data-testid': 'forbidden' },
				h('div', { class: 'result-code' }, '403'),
				h('h1', { class: 'result-title' }, t('error.forbiddenTitle')),
				h('p', { class: 'result-text' }, t('error.forbiddenText')),
				button(t('nav.backHome'), { kind: 'primary', onClick: () => navigate('/') }),
			),
		);
		focusPage(view);
		return;
	}
	/* a page that shows one record names it in the breadcrumb and the tab */
	const setTitle = (name) => {
		if (!view.isConnected) return;
		document.title = `${name} · ${t(r.title)} · ${t('app.name')}`;
		setCrumbs(r, name);
	};
	const ctx = { el: view, query, params, navigate, refreshOrgName, setTitle, refreshBell };
	try {
		const done = await r.page.render(ctx);
		if (view.isConnected) cleanup = done || null;
		else if (typeof done === 'function') done();
	} catch (err) {
		if (view.isConnected) clear(view).appendChild(errorState(err, () => route()));
	}
	focusPage(view);
}

function notFound(path) {
	runCleanup();
	closeAllOverlays();
	const content = shell.content;
	document.title = `${t('error.notFoundTitle')} · ${t('app.name')}`;
	clear(shell.navSlot).appendChild(buildNav(''));
	clear(shell.crumbs).appendChild(h('li', { class: 'crumb' }, h('a', { href: '#/' }, t('nav.home'))));
	const view = h(
		'div',
		{ class: 'view', 'data-page': path },
		h(
			'div',
			{ class: 'result', 'data-testid': 'not-found' },
			h('div', { class: 'result-code' }, '404'),
			h('h1', { class: 'result-title' }, t('error.notFoundTitle')),
			h('p', { class: 'result-text' }, t('error.notFoundText')),
			button(t('nav.backHome'), { kind: 'primary', onClick: () => navigate('/') }),
		),
	);
	clear(content).appendChild(view);
	focusPage(view);
}

/*
 * Leaving a page with unsaved edits in a drawer asks first, as Escape
 * does: Back, Forward, a link, a typed address (hashchange) and a reload
 * or a closed tab (beforeunload, the browser's own question). The move
 * is undone the way it came — Back by going forward again, a new entry
 * or Forward by going back — so the history stays as it was; kept,
 * nothing more happens; dropped, the drawers close and the move is made
 * again. How far the move went is the history entry's position
 * (navigation.currentEntry.index) where the browser says it; elsewhere
 * each entry a page is drawn for carries when it was first drawn
 * (history.state.at), and one without is taken for a new one. A change
 * of address in place (location.replace) is put back in place. On a
 * phone Back closes the drawer first (its own history entry, below), and
 * asks there.
 */
let undoing = null;	/* the address an undo leaves, until its popstate */
let ignoreHash = false;	/* the undo's own hashchange is coming */
let askingToLeave = false;
function stampEntry() {
	if (!history.state || !history.state.at) history.replaceState({ ...(history.state || {}), at: Date.now() + Math.random() }, '');
	shown = { at: history.state.at, index: entryIndex() };
}
/* How many entries the last move went: < 0 back, > 0 forward or new, 0 in place. */
function stepsMoved() {
	const index = entryIndex();
	if (index !== null && shown.index !== null) return index - shown.index;
	const at = history.state && history.state.at;
	return !at || at > shown.at ? 1 : -1;
}
function onHashChange(e) {
	if (ignoreHash) {
		ignoreHash = false;
		return;
	}
	if (!overlaysDirty()) {
		route();
		return;
	}
	const target = location.hash;
	const steps = stepsMoved();
	if (steps) {
		undoing = target;
		history.go(-steps);
	} else history.replaceState(history.state, '', new URL(e.oldURL).hash || '#/');
	if (askingToLeave) return; /* moved again while asked: undone, asked once */
	askingToLeave = true;
	confirm({ title: t('form.discardTitle'), message: t('form.discardMessage'), okText: t('form.discard'), danger: true }).then((ok) => {
		askingToLeave = false;
		if (!ok) return;
		closeAllOverlays();
		if (steps) history.go(steps);
		else location.replace(target);
	});
}
window.addEventListener('beforeunload', (e) => {
	if (!overlaysDirty()) return;
	e.preventDefault();
	e.returnValue = '';
});

function route() {
	stampEntry();
	const { path, query, raw } = parseHash();
	if (!signedIn()) {
		if (path !== '/login') {
			const next = raw && raw !== '/' && !raw.startsWith('/login') ? `?next=${encodeURIComponent(raw)}` : '';
			navigate(`/login${next}`, { replace: true });
			return;
		}
		document.title = `${t('auth.signIn')} · ${t('app.name')}`;
		authScreen(loginPage, {
			query,
			onSignedIn: () => {
				lostSession = false;
				const next = query.get('next');
				navigate(next && next.startsWith('/') && !next.startsWith('/login') ? next : '/', { replace: true });
			},
		});
		return;
	}
	if (path === '/login') {
		navigate('/', { replace: true });
		return;
	}
	if (mustChangePassword()) {
		if (path !== '/password') {
			navigate('/password', { replace: true });
			return;
		}
		document.title = `${t('nav.password')} · ${t('app.name')}`;
		authScreen(passwordPage, { query, navigate, onDone: () => navigate('/', { replace: true }), onSignOut: signOut });
		return;
	}
	if (!shell || shell.userId !== session.user.id || shell.lang !== getLang()) {
		shell = buildShell();
		clear(root).appendChild(shell.el);
		if (can('GET /api/v1/notifications')) startPolling();
		else stopPolling();
	}
	setNavOpen(false);
	const m = match(path);
	if (!m) notFound(path);
	else renderPage(m.r, query, m.params, path);
	refreshBell();
}

/* ---- API events ---- */

/* A session that ends with edits open is taken up again over them
   (reauth.js); otherwise its user goes to sign in, and back after. */
onApiEvent('unauthenticated', () => {
	if (!signedIn()) return;
	stopPolling();
	if (overlaysDirty()) {
		signInAgain({ onSignedIn: resumeSession, leave: loseSession });
		return;
	}
	loseSession();
});

function resumeSession() {
	if (mustChangePassword()) {
		closeAllOverlays();
		route();
	} else if (can('GET /api/v1/notifications')) startPolling();
}

function loseSession() {
	clearSession();
	closeAllOverlays();
	shell = null;
	if (!lostSession) {
		lostSession = true;
		toast.warning(t('auth.sessionExpired'));
	}
	route();
}

onApiEvent('passwordChangeRequired', () => {
	if (session.user) session.user.must_change_password = true;
	closeAllOverlays();
	route();
});

/* ---- boot ---- */

async function boot() {
	clear(root).appendChild(h('div', { class: 'boot' }, spinner()));
	try {
		await loadSession();
	} catch (err) {
		if (err.status !== 401) {
			clear(root).appendChild(h('div', { class: 'boot' }, errorState(err, boot)));
			return;
		}
		clearSession();
	}
	window.addEventListener('hashchange', onHashChange);
	/* a reload with a drawer open: no drawer now, so no drawer entry */
	if (onDrawerEntry()) history.replaceState(null, '');
	route();
}

boot();
