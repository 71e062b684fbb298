/*
 * home.js — welcome, who I am here (roles, organisation, last sign-in)
 * and a few figures the user's permissions allow: accounts, the audit
 * chain's state (SPEC X3), the year's working days and the next holiday
 * (X4), failed background jobs, certificates ending within 30 days (S3)
 * and today's assignments — for a field worker, their own visits today.
 */
import { h, icon } from '../dom.js';
import { t, pick } from '../i18n.js';
import { api } from '../api.js';
import { session, can, roles, inOffice } from '../session.js';
import { fmtDateTime, currentYear, todayIso, fmtNumber, holidayName } from '../format.js';
import { card, tag, statCard, descriptions, pageHeader, spinner } from '../ui.js';

function slot(testid) {
	return h('div', { class: 'stat-slot', 'data-testid': testid }, h('div', { class: 'card stat' }, spinner()));
}

async function fill(el, fn) {
	try {
		el.replaceChildren(await fn());
	} catch (err) {
		el.replaceChildren(statCard(t('home.unavailable'), t('common.none'), { hint: err.message }));
	}
}

export async function render({ el }) {
	const u = session.user;
	const roleTags = h('div', { class: 'tags' });
	el.append(
		pageHeader(t('home.welcome', { name: u.display_name || u.username }), { desc: t('home.subtitle') }),
		card(
			t('home.me'),
			descriptions([
				[t('user.username'), u.username],
				[t('user.displayName'), u.display_name],
				[t('home.organisation'), session.tenant.name],
				[t('user.roles'), roleTags],
				[t('user.lastLogin'), fmtDateTime(u.last_login_at)],
				[t('home.timezone'), `${session.tenant.tz_name} (UTC${session.tenant.utc_offset_min >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(session.tenant.utc_offset_min) / 60)).padStart(2, '0')}:${String(Math.abs(session.tenant.utc_offset_min) % 60).padStart(2, '0')})`],
			]),
			{ cls: 'card-me' },
		),
	);
	roles()
		.then((all) => {
			for (const code of u.roles) {
				const r = all.find((x) => x.code === code);
				roleTags.appendChild(tag(r ? pick(r) : code, 'blue'));
			}
		})
		.catch(() => u.roles.forEach((c) => roleTags.appendChild(tag(c, 'blue'))));

	const stats = h('div', { class: 'stats' });
	el.appendChild(stats);

	if (can('GET /api/v1/users')) {
		const s = slot('stat-users');
		stats.appendChild(s);
		fill(s, async () => {
			const [all, disabled] = await Promise.all([api.get('/users', { limit: 1 }), api.get('/users', { limit: 1, status: 'disabled' })]);
			return statCard(t('home.accounts'), fmtNumber(all.total), { hint: t('home.accountsDisabled', { n: disabled.total }), href: '#/users' });
		});
	}
	if (can('GET /api/v1/audit/verify')) {
		const s = slot('stat-audit');
		stats.appendChild(s);
		fill(s, async () => {
			const v = await api.get('/audit/verify');
			return statCard(t('home.auditChain'), v.intact ? t('audit.intact') : t('audit.broken'), {
				color: v.intact ? 'success' : 'error',
				hint: v.intact ? t('home.auditEntries', { n: v.entries }) : t('audit.brokenAt', { seq: v.broken_seq, reason: v.reason }),
				href: '#/audit',
			});
		});
	}
	if (can('GET /api/v1/calendar/:id')) {
		const year = currentYear();
		const s1 = slot('stat-workdays');
		const s2 = slot('stat-holiday');
		stats.append(s1, s2);
		const cal = api.get(`/calendar/${year}`);
		fill(s1, async () => {
			const c = await cal;
			return statCard(t('home.workingDays', { year }), fmtNumber(c.working_days), { hint: c.known ? t('calendar.known') : t('calendar.unknownShort'), color: c.known ? null : 'warning', href: '#/calendar' });
		});
		fill(s2, async () => {
			const c = await cal;
			const today = todayIso();
			let next = c.days.find((d) => d.kind === 'holiday' && d.date >= today);
			if (!next && c.known) {
				const n = await api.get(`/calendar/${year + 1}`);
				next = n.days.find((d) => d.kind === 'holiday');
			}
			return statCard(t('home.nextHoliday'), next ? holidayName(next.name) : t('common.none'), { hint: next ? next.date : t('calendar.unknownShort'), href: '#/calendar' });
		});
	}
	if (can('GET /api/v1/jobs')) {
		const s = slot('stat-jobs');
		stats.appendChild(s);
		fill(s, async () => {
			const dead = await api.get('/jobs', { state: 'dead', limit: 1 });
			return statCard(t('home.failedJobs'), fmtNumber(dead.total), { color: dead.total ? 'error' : 'success', hint: dead.total ? t('home.failedJobsHint') : t('home.noFailedJobs'), href: '#/jobs' });
		});
	}

	if (can('GET /api/v1/certificates')) {
		const s = slot('stat-certs');
		stats.appendChild(s);
		fill(s, async () => {
			const p = await api.get('/certificates', { expiring_within: 30, limit: 1 });
			return statCard(t('home.certsExpiring'), fmtNumber(p.total), { color: p.total ? 'warning' : 'success', hint: p.total ? t('home.certsExpiringHint') : t('home.certsNone'), href: '#/certificates' });
		});
	}
	if (can('GET /api/v1/my/assignments')) {
		const s = slot('stat-my-visits');
		stats.appendChild(s);
		fill(s, async () => {
			const day = todayIso();
			let p;
			try {
				p = await api.get('/my/assignments', { limit: 100 });
			} catch (err) {
				if (err.status === 404 && err.field === 'staff') return statCard(t('home.myVisitsToday'), t('common.none'), { hint: t('my.unlinkedTitle'), color: 'warning', href: '#/my' });
				throw err;
			}
			const n = p.items.filter((a) => a.day === day && a.status === 'assigned').length;
			return statCard(t('home.myVisitsToday'), fmtNumber(n), { hint: t('home.myVisitsAhead', { n: p.total }), href: '#/my' });
		});
	}
	if (can('GET /api/v1/assignments')) {
		const s = slot('stat-assignments');
		stats.appendChild(s);
		fill(s, async () => {
			const day = todayIso();
			const p = await api.get('/assignments', { day, status: 'assigned', limit: 1 });
			return statCard(t('home.assignmentsToday'), fmtNumber(p.total), { hint: day, href: `#/assignments?day=${day}` });
		});
	}

	/* shortcuts to what this user may open */
	const links = [
		['#/my', 'clipboard', 'nav.myWork', 'GET /api/v1/my/assignments'],
		['#/calendar', 'calendar', 'nav.calendar', 'GET /api/v1/calendar/:id'],
		['#/assignments', 'clipboard', 'nav.assignments', 'GET /api/v1/assignments'],
		['#/households', 'household', 'nav.households', 'GET /api/v1/households'],
		['#/sites', 'building', 'nav.sites', 'GET /api/v1/sites'],
		['#/staff', 'badge', 'nav.staff', 'GET /api/v1/staff'],
		['#/certificates', 'cert', 'nav.certificates', 'GET /api/v1/certificates'],
		['#/notifications', 'bell', 'nav.notifications', 'GET /api/v1/notifications'],
		['#/users', 'users', 'nav.users', 'GET /api/v1/users'],
		['#/roles', 'shield', 'nav.roles', 'GET /api/v1/roles', inOffice],
		['#/audit', 'audit', 'nav.audit', 'GET /api/v1/audit'],
		['#/jobs', 'jobs', 'nav.jobs', 'GET /api/v1/jobs'],
		['#/organisation', 'org', 'nav.organisation', 'GET /api/v1/tenant', inOffice],
		['#/password', 'key', 'nav.password', 'PUT /api/v1/session/password'],
	].filter((l) => can(l[3]) && (!l[4] || l[4]()));
	el.appendChild(card(t('home.shortcuts'), h('div', { class: 'shortcuts' }, links.map(([href, ic, key]) => h('a', { class: 'shortcut', href }, icon(ic), h('span', null, t(key)))))));
}
