/*
 * certificates.js — certificates ending soon (SPEC S3: warned 30 days
 * ahead), #/certificates: the certificates of workers still on the books
 * that end within the chosen number of days (30 unless ?within= says
 * otherwise), soonest first, paged, each with its worker linking to the
 * personal file, where it is renewed (a new certificate) or corrected.
 * The scheduler sends the same list every day to admins, managers and
 * supervisors as a notice (the bell).
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../session.js';
import { ListView } from '../list.js';
import { Form, card, pageHeader, filterBar } from '../ui.js';
import { certBadge, WARN_DAYS } from '../fieldstaff.js';
import { exportButtons } from '../export.js';

const WITHIN = [7, 15, 30, 60, 90, 180, 366];

export async function render({ el, query }) {
	const file = can('GET /api/v1/staff/:id/record');
	const columns = [
		{
			key: 'staff_name',
			title: t('cert.col.staff'),
			render: (c) => (file ? h('a', { href: `#/staff/${c.staff_id}`, 'data-testid': 'cert-staff' }, c.staff_name) : h('span', { 'data-testid': 'cert-staff' }, c.staff_name)),
		},
		{ key: 'type', title: t('sf.col.certType'), render: (c) => h('span', { 'data-type': c.type }, t(`fs.cert.${c.type}`)) },
		{ key: 'number', title: t('sf.col.certNo') },
		{ key: 'issuer', title: t('sf.col.issuer') },
		{ key: 'valid_to', title: t('sf.col.validTo'), nowrap: true, render: (c) => h('span', { 'data-testid': 'cert-valid-to' }, c.valid_to) },
		{ key: 'days_left', title: t('sf.col.state'), render: (c) => certBadge(c) },
	];
	const list = new ListView({
		fetch: (q) => api.get('/certificates', q),
		columns,
		empty: t('cert.empty'),
		testid: 'cert-expiring',
		caption: t('nav.certificates'),
	});
	/* ?within=… (a link's short name) or the name the list writes */
	const asked = Number(query.get('expiring_within') || query.get('within'));
	const within = WITHIN.includes(asked) ? asked : WARN_DAYS;
	const filters = new Form(
		[
			{
				name: 'expiring_within',
				label: t('cert.within'),
				type: 'select',
				options: WITHIN.map((n) => ({ value: String(n), label: t('cert.withinN', { n }) })),
				value: String(within),
			},
		],
		{ layout: 'inline', testid: 'cert-filter' },
	);
	const search = () => list.search(filters.values());
	el.append(
		pageHeader(t('nav.certificates'), {
			desc: t('cert.desc'),
			actions: exportButtons({ path: '/certificates', query: () => list.exportQuery(), base: 'certificates', testid: 'cert-export' }),
		}),
		filterBar(filters, {
			onSearch: search,
			onReset: () => {
				filters.setValues({ expiring_within: String(WARN_DAYS) });
				search();
			},
		}),
		card(null, list.el, { cls: 'card-table' }),
	);
	await search();
}
