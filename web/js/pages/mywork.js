/*
 * mywork.js — a field worker's own page (#/my), made for the phone they
 * carry: the visits they are sent on from today on, by day, the nearest
 * first (time window, job, household, address), and their badge to show
 * at the door, whose QR code the
 * customer scans (SPEC S5, V3). An account that is nobody's worker says
 * so, and who can link it.
 */
import { h, icon } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { card, pageHeader, tag, emptyState, errorState, alertBox } from '../ui.js';
import { badgeCard } from '../fieldstaff.js';
import { todayIso, isoWeekday } from '../format.js';

const SHOWN = 100; /* visits on the page; more are rare, and said */

export async function render({ el }) {
	const [visits, badge] = await Promise.allSettled([api.get('/my/assignments', { limit: SHOWN }), api.get('/my/badge')]);
	const unlinked = [visits, badge].some((x) => x.status === 'rejected' && x.reason.status === 404 && x.reason.field === 'staff');
	el.append(pageHeader(t('nav.myWork'), { desc: t('my.desc') }));
	if (unlinked) {
		el.append(card(null, alertBox('info', t('my.unlinked'), { title: t('my.unlinkedTitle') }), { cls: 'my-unlinked' }));
		return;
	}
	el.append(h('div', { class: 'my-grid' }, visitsCard(visits), badgeSection(badge)));
}

function visitsCard(res) {
	if (res.status === 'rejected') return card(t('my.visits'), errorState(res.reason));
	const { items, total } = res.value;
	if (!items.length) return card(t('my.visits'), emptyState(t('my.none')), { cls: 'my-visits' });
	const days = new Map();
	for (const a of items) {
		if (!days.has(a.day)) days.set(a.day, []);
		days.get(a.day).push(a);
	}
	const body = h(
		'div',
		{ 'data-testid': 'my-visits' },
		[...days].map(([day, list]) => h('section', { class: 'my-day', 'data-day': day }, h('h3', { class: 'my-day-title' }, dayTitle(day)), h('ul', { class: 'my-visit-list' }, list.map(visit)))),
		total > items.length ? h('p', { class: 'form-help' }, t('my.more', { shown: items.length, total })) : null,
	);
	return card(t('my.visits'), body, { cls: 'my-visits' });
}

/* 今天 · 12月7日 星期一 */
function dayTitle(day) {
	const today = todayIso();
	const [, m, d] = day.split('-').map(Number);
	const when = t('my.date', { m, d, mon: t(`calendar.month.${m}`), wd: t(`calendar.wdLong.${isoWeekday(day)}`) });
	const tomorrow = new Date(`${today}T00:00:00Z`);
	tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
	const rel = day === today ? t('my.today') : day === tomorrow.toISOString().slice(0, 10) ? t('my.tomorrow') : null;
	return rel ? `${rel} · ${when}` : when;
}

function visit(a) {
	return h(
		'li',
		{ class: 'my-visit', 'data-testid': 'my-visit', 'data-id': a.id },
		h('div', { class: 'my-visit-time' }, icon('clock'), h('span', null, a.time_window || t('my.anyTime'))),
		h(
			'div',
			{ class: 'my-visit-main' },
			h('div', { class: 'my-visit-head' }, h('strong', { 'data-testid': 'my-visit-name' }, a.household_name), h('span', { class: 'text-secondary' }, a.account_no), tag(t(`staff.job.${a.job_type}`), 'blue')),
			h('div', { class: 'my-visit-address', 'data-testid': 'my-visit-address' }, icon('household'), h('span', null, a.address || t('common.none'))),
			a.notes ? h('div', { class: 'my-visit-notes pre-line' }, a.notes) : null,
		),
	);
}

function badgeSection(res) {
	if (res.status === 'rejected') {
		const none = res.reason.status === 404;
		return card(t('my.badge'), none ? h('p', { class: 'text-secondary', 'data-testid': 'my-badge-none' }, t('my.noBadge')) : errorState(res.reason), { cls: 'my-badge' });
	}
	const b = res.value;
	return card(
		t('my.badge'),
		h(
			'div',
			{ class: 'my-badge-body', 'data-testid': 'my-badge' },
			badgeCard(b, '/api/v1/my/photo'),
			b.valid ? null : alertBox('error', t('my.badgeVoid')),
			h('p', { class: 'form-help' }, t('my.badgeHelp')),
		),
		{ cls: 'my-badge' },
	);
}
