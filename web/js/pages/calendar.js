/*
 * calendar.js — the working-day calendar (SPEC X4): a year's 12 months
 * with statutory holidays (休) and adjusted working days (班), whether the
 * year's schedule is known, an admin import of a "date,kind,name" CSV
 * file, a CSV export, and the deadline and working-day calculators that
 * use the same server computation every module uses.
 */
import { h, icon, setChildren } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../session.js';
import { fmtDateTime, holidayName, nowLocalInput, todayIso, currentYear, isoWeekday, isoDate, daysInMonth } from '../format.js';
import { Form, button, busy, card, pageHeader, alertBox, confirm, toast, spinner, errorState, tag } from '../ui.js';


/* "2026-10-01" → "10月1日" / "Oct 1" */
function shortDate(iso) {
	const [, m, d] = iso.split('-').map(Number);
	return t('calendar.monthDay', { m, d, mon: t(`calendar.monthShort.${m}`) });
}

function addDays(iso, n) {
	const [y, m, d] = iso.split('-').map(Number);
	const x = new Date(Date.UTC(y, m - 1, d + n));
	return isoDate(x.getUTCFullYear(), x.getUTCMonth() + 1, x.getUTCDate());
}

/* One entry per holiday name: its days off as ranges of consecutive dates,
 * and the adjusted working days (调休) that go with it. */
function groupDays(days) {
	const byName = new Map();
	for (const d of [...days].sort((a, b) => (a.date < b.date ? -1 : 1))) {
		let g = byName.get(d.name);
		if (!g) {
			g = { name: d.name, ranges: [], workdays: [] };
			byName.set(d.name, g);
		}
		if (d.kind === 'holiday') {
			const last = g.ranges[g.ranges.length - 1];
			if (last && addDays(last.to, 1) === d.date) {
				last.to = d.date;
				last.n += 1;
			} else g.ranges.push({ from: d.date, to: d.date, n: 1 });
		} else g.workdays.push(d.date);
	}
	const first = (g) => (g.ranges.length ? g.ranges[0].from : g.workdays[0]);
	return [...byName.values()].sort((a, b) => (first(a) < first(b) ? -1 : 1));
}

function monthGrid(year, month, byDate, today) {
	const first = isoWeekday(isoDate(year, month, 1));
	const n = daysInMonth(year, month);
	const cells = [];
	for (let i = 1; i < first; i++) cells.push(h('div', { class: 'day is-blank', 'aria-hidden': 'true' }));
	for (let d = 1; d <= n; d++) {
		const iso = isoDate(year, month, d);
		const wd = isoWeekday(iso);
		const e = byDate.get(iso);
		const weekend = wd >= 6;
		const kind = e ? e.kind : weekend ? 'weekend' : 'normal';
		const label = e ? `${iso} ${holidayName(e.name)} · ${t(`calendar.kind.${e.kind}`)}` : `${iso} · ${t(weekend ? 'calendar.kind.weekend' : 'calendar.kind.normal')}`;
		cells.push(
			h(
				'div',
				{ class: ['day', `is-${kind}`, iso === today ? 'is-today' : ''], 'data-date': iso, 'data-kind': kind, title: label, role: 'gridcell', 'aria-label': label },
				h('span', { class: 'day-num' }, String(d)),
				e ? h('span', { class: 'day-badge' }, t(`calendar.badge.${e.kind}`)) : null,
			),
		);
	}
	return h(
		'div',
		{ class: 'month', 'data-month': month },
		h('div', { class: 'month-title' }, t(`calendar.month.${month}`)),
		h('div', { class: 'month-grid', role: 'grid', 'aria-label': `${year} ${t(`calendar.month.${month}`)}` }, [1, 2, 3, 4, 5, 6, 7].map((w) => h('div', { class: ['wd', w >= 6 ? 'is-weekend' : ''], role: 'columnheader' }, t(`calendar.wd.${w}`))), cells),
	);
}

function downloadCsv(year, days) {
	const lines = ['date,kind,name', ...days.map((d) => `${d.date},${d.kind},${/[",\n]/.test(d.name) ? `"${d.name.replace(/"/g, '""')}"` : d.name}`)];
	const blob = new Blob(['\ufeff', `${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
	const url = URL.createObjectURL(blob);
	const a = h('a', { href: url, download: `holidays-${year}.csv`, class: 'sr-only' });
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function render({ el, query }) {
	let year = Number(query.get('year')) || currentYear();
	if (year < 2000 || year > 2100) year = currentYear();
	let years = [];
	let data = null;

	const yearLabel = h('span', { class: 'year-label', 'data-testid': 'calendar-year' });
	const prev = button('', { icon: 'left', title: t('calendar.prevYear'), onClick: () => go(year - 1), testid: 'year-prev' });
	const next = button('', { icon: 'right', title: t('calendar.nextYear'), onClick: () => go(year + 1), testid: 'year-next' });
	const yearSelect = h('select', { class: 'select', 'aria-label': t('calendar.year'), onchange: (e) => go(Number(e.target.value)), 'data-testid': 'year-select' });
	const exportBtn = button(t('calendar.export'), { icon: 'download', onClick: () => data && downloadCsv(year, data.days), testid: 'calendar-export' });
	const yearNav = h('div', { class: 'year-nav' }, prev, yearSelect, next, exportBtn);

	const banner = h('div', { class: 'cal-banner', 'data-testid': 'calendar-banner' });
	const summary = h('div', { class: 'cal-summary' });
	const holidays = h('div', { class: 'holiday-list', 'data-testid': 'holiday-list' });
	const months = h('div', { class: 'months', 'data-testid': 'calendar-months' });
	const legend = h(
		'div',
		{ class: 'legend' },
		h('span', { class: 'legend-item' }, h('span', { class: 'day-swatch is-holiday' }, t('calendar.badge.holiday')), t('calendar.kind.holiday')),
		h('span', { class: 'legend-item' }, h('span', { class: 'day-swatch is-workday' }, t('calendar.badge.workday')), t('calendar.kind.workday')),
		h('span', { class: 'legend-item' }, h('span', { class: 'day-swatch is-weekend' }), t('calendar.kind.weekend')),
		h('span', { class: 'legend-item' }, h('span', { class: 'day-swatch is-today' }), t('calendar.today')),
	);

	function renderYearSelect() {
		const opts = new Set([...years.map((y) => y.year), currentYear() - 1, currentYear(), currentYear() + 1, year]);
		yearSelect.replaceChildren(
			...[...opts]
				.sort((a, b) => a - b)
				.map((y) => {
					const known = years.some((x) => x.year === y);
					return h('option', { value: y, selected: y === year }, known ? String(y) : t('calendar.yearUnknownOption', { year: y }));
				}),
		);
		prev.disabled = year <= 2000;
		next.disabled = year >= 2100;
	}

	async function load() {
		yearLabel.textContent = String(year);
		months.replaceChildren(spinner());
		banner.replaceChildren();
		[years, data] = await Promise.all([api.get('/calendar/years').then((r) => r.items), api.get(`/calendar/${year}`)]);
		renderYearSelect();
		const info = years.find((y) => y.year === year);
		if (!data.known) banner.replaceChildren(alertBox('warning', t('calendar.unknownText', { year }), { title: t('calendar.unknownTitle', { year }) }));
		else if (data.own) banner.replaceChildren(alertBox('success', t('calendar.ownText', { year, by: info ? info.imported_by : '', at: info ? fmtDateTime(info.imported_at) : '' }), { title: t('calendar.ownTitle', { year }) }));
		else banner.replaceChildren(alertBox('info', t('calendar.officialText', { year, source: !info ? '' : info.shipped ? t('calendar.shippedSource') : info.source }), { title: t('calendar.officialTitle', { year }) }));

		const nHol = data.days.filter((d) => d.kind === 'holiday').length;
		const nWork = data.days.filter((d) => d.kind === 'workday').length;
		summary.replaceChildren(
			h('div', { class: 'cal-fig' }, h('span', { class: 'cal-fig-label' }, t('calendar.workingDays')), h('span', { class: 'cal-fig-value', 'data-testid': 'calendar-working-days' }, String(data.working_days))),
			h('div', { class: 'cal-fig' }, h('span', { class: 'cal-fig-label' }, t('calendar.holidayCount')), h('span', { class: 'cal-fig-value text-error' }, String(nHol))),
			h('div', { class: 'cal-fig' }, h('span', { class: 'cal-fig-label' }, t('calendar.workdayCount')), h('span', { class: 'cal-fig-value' }, String(nWork))),
		);

		const groups = groupDays(data.days);
		holidays.replaceChildren(
			...(groups.length
				? groups.map((g) =>
						h(
							'div',
							{ class: 'holiday-item', 'data-holiday': g.name },
							h('span', { class: 'holiday-name' }, holidayName(g.name)),
							g.ranges.map((r) => tag(r.n > 1 ? t('calendar.range', { from: shortDate(r.from), to: shortDate(r.to), n: r.n }) : t('calendar.single', { date: shortDate(r.from) }), 'red')),
							g.workdays.length ? tag(t('calendar.adjusted', { dates: g.workdays.map(shortDate).join(t('calendar.listSep')) }), 'default') : null,
						),
					)
				: [h('p', { class: 'text-secondary' }, t('calendar.noDays'))]),
		);

		const byDate = new Map(data.days.map((d) => [d.date, d]));
		const today = todayIso();
		months.replaceChildren(...Array.from({ length: 12 }, (_, i) => monthGrid(year, i + 1, byDate, today)));
	}

	async function go(y) {
		if (y < 2000 || y > 2100) return;
		year = y;
		history.replaceState(history.state, '', `#/calendar?year=${y}`);
		if (importForm) importForm.setValues({ year: y });
		try {
			await load();
		} catch (err) {
			months.replaceChildren(errorState(err, () => go(year)));
		}
	}

	/* ---- deadline calculator ---- */
	const dlResult = h('div', { class: 'calc-result', 'data-testid': 'deadline-result', 'aria-live': 'polite' });
	const dlSubmit = button(t('calendar.compute'), { kind: 'primary', type: 'submit', testid: 'deadline-submit' });
	const units = ['working_days', 'calendar_days', 'hours', 'minutes'];
	const dlForm = new Form(
		[
			{ name: 'from', label: t('calendar.from'), type: 'datetime-local', required: true, value: nowLocalInput() },
			{ name: 'amount', label: t('calendar.amount'), type: 'number', required: true, min: 0, max: 3650, step: 1, value: 1, inputmode: 'numeric' },
			{ name: 'unit', label: t('calendar.unit'), type: 'select', options: units.map((u) => ({ value: u, label: t(`calendar.unit.${u}`) })) },
		],
		{
			testid: 'deadline-form',
			onSubmit: () =>
				busy(dlSubmit, async () => {
					if (!dlForm.validate()) return;
					const v = dlForm.values();
					try {
						const r = await api.get('/calendar/deadline', { from: v.from, amount: v.amount, unit: v.unit });
						const dueDate = r.due.slice(0, 10);
						setChildren(dlResult,
							h(
								'div',
								{ class: 'calc-due' },
								h('span', { class: 'calc-label' }, t('calendar.due')),
								h('strong', { class: 'calc-value', 'data-testid': 'deadline-due' }, fmtDateTime(r.due_epoch)),
								h('span', { class: 'text-secondary' }, t(`calendar.wdLong.${isoWeekday(dueDate)}`)),
							),
							h('div', { class: 'text-secondary calc-note' }, t('calendar.dueNote', { from: fmtDateTime(r.from_epoch), amount: r.amount, unit: t(`calendar.unit.${r.unit}`) })),
							r.uncertain ? alertBox('warning', t('calendar.uncertain')) : null,
						);
					} catch (err) {
						dlResult.replaceChildren();
						dlForm.showError(err);
					}
				}),
		},
	);
	dlForm.el.appendChild(h('div', { class: 'form-actions' }, dlSubmit));

	/* ---- working days between two dates ---- */
	const wdResult = h('div', { class: 'calc-result', 'data-testid': 'workdays-result', 'aria-live': 'polite' });
	const wdSubmit = button(t('calendar.count'), { type: 'submit', testid: 'workdays-submit' });
	const wdForm = new Form(
		[
			{ name: 'from', label: t('calendar.fromDate'), type: 'date', required: true, value: todayIso() },
			{ name: 'to', label: t('calendar.toDate'), type: 'date', required: true, value: addDays(todayIso(), 30) },
		],
		{
			testid: 'workdays-form',
			onSubmit: () =>
				busy(wdSubmit, async () => {
					if (!wdForm.validate()) return;
					const v = wdForm.values();
					try {
						const r = await api.get('/calendar/working-days', { from: v.from, to: v.to });
						setChildren(wdResult,
							h('div', { class: 'calc-due' }, h('strong', { class: 'calc-value' }, t('calendar.workingDaysN', { n: r.working_days }))),
							h('div', { class: 'text-secondary calc-note' }, t('calendar.countNote')),
							r.uncertain ? alertBox('warning', t('calendar.uncertain')) : null,
						);
					} catch (err) {
						wdResult.replaceChildren();
						wdForm.showError(err);
					}
				}),
		},
	);
	wdForm.el.appendChild(h('div', { class: 'form-actions' }, wdSubmit));

	/* ---- import (admin) ---- */
	let importForm = null;
	let importCard = null;
	if (can('PUT /api/v1/calendar/:id')) {
		const imSubmit = button(t('calendar.import'), { kind: 'primary', icon: 'upload', type: 'submit', testid: 'import-submit' });
		importForm = new Form(
			[
				{ name: 'year', label: t('calendar.year'), type: 'number', required: true, min: 2000, max: 2100, step: 1, value: year, inputmode: 'numeric' },
				{ name: 'csv', label: t('calendar.file'), type: 'file', required: true, accept: '.csv,text/csv,text/plain', help: t('calendar.fileHelp') },
				{ name: 'reason', label: t('common.reason'), type: 'textarea', maxlength: 200, placeholder: t('common.reasonHint') },
			],
			{
				testid: 'import-form',
				onSubmit: () =>
					busy(imSubmit, async () => {
						if (!importForm.validate()) return;
						const v = importForm.values();
						const y = Number(v.year);
						if (v.csv.size > 20000 * 4) {
							importForm.setError('csv', t('calendar.fileTooLarge'));
							return;
						}
						let text = await v.csv.text();
						if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
						const rows = text.split(/\r?\n/).filter((l) => l.trim() !== '').length;
						const known = years.find((x) => x.year === y);
						/* The import replaces the schedule we are shown now: the
						 * server refuses it (409) if another import came first. */
						let version = 0;
						try {
							version = (await api.get(`/calendar/${y}`)).version;
						} catch (err) {
							importForm.showError(err);
							return;
						}
						const ok = await confirm({
							title: t('calendar.importTitle', { year: y }),
							message: known ? t('calendar.importReplace', { year: y, n: rows }) : t('calendar.importNew', { year: y, n: rows }),
							okText: t('calendar.import'),
							danger: Boolean(known),
						});
						if (!ok) return;
						try {
							const r = await api.put(`/calendar/${y}`, { version, csv: text, ...(v.reason ? { reason: v.reason } : {}) });
							toast.success(t('calendar.imported', { year: r.year, n: r.days }));
							importForm.el.reset();
							importForm.setValues({ year: y });
							await go(y);
						} catch (err) {
							importForm.showError(err);
						}
					}),
			},
		);
		importForm.el.appendChild(h('div', { class: 'form-actions' }, imSubmit));
		importCard = card(t('calendar.importCard'), [h('p', { class: 'text-secondary card-note' }, t('calendar.importNote')), importForm.el], { cls: 'card-import' });
	}

	el.append(
		pageHeader(t('nav.calendar'), { desc: t('calendar.desc'), actions: yearNav }),
		banner,
		h(
			'div',
			{ class: 'cal-layout' },
			h(
				'div',
				{ class: 'cal-main' },
				card(h('span', null, yearLabel, ' ', t('calendar.schedule')), [summary, holidays], { extra: legend, cls: 'card-holidays' }),
				card(null, months, { cls: 'card-months' }),
			),
			h(
				'div',
				{ class: 'cal-side' },
				card(h('span', { class: 'card-title-icon' }, icon('clock'), t('calendar.deadlineCard')), [h('p', { class: 'text-secondary card-note' }, t('calendar.deadlineNote')), dlForm.el, dlResult], { cls: 'card-deadline' }),
				card(t('calendar.countCard'), [wdForm.el, wdResult], { cls: 'card-count' }),
				importCard,
			),
		),
	);
	await go(year);
}
