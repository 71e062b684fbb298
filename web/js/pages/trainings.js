/*
 * trainings.js — the training ledger (培训台账, SPEC S4), #/trainings:
 * every worker's trainings, newest first, paged, filtered by kind and by
 * days — the yearly business training of every inspector (seed 001:
 * 每年一次) read in one list, or taken away as a file. A training is
 * recorded in the worker's personal file, where each name links.
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../session.js';
import { ListView } from '../list.js';
import { Form, card, pageHeader, filterBar } from '../ui.js';
import { exportButtons } from '../export.js';
import * as FS from '../fieldstaff.js';

export async function render({ el }) {
	const file = can('GET /api/v1/staff/:id/record');
	const columns = [
		{ key: 'day', title: t('sf.col.day'), nowrap: true },
		{
			key: 'staff_name',
			title: t('cert.col.staff'),
			render: (x) => (file ? h('a', { href: `#/staff/${x.staff_id}`, 'data-testid': 'trn-staff' }, x.staff_name) : h('span', { 'data-testid': 'trn-staff' }, x.staff_name)),
		},
		{ key: 'staff_no', title: t('trn.col.staffNo'), nowrap: true },
		...FS.trainingColumns(),
	];
	const list = new ListView({
		fetch: (q) => api.get('/trainings', q),
		columns,
		empty: t('trn.empty'),
		testid: 'trn-list',
		caption: t('nav.trainings'),
	});
	const filters = new Form(
		[
			{ name: 'kind', label: t('sf.col.trainingKind'), type: 'select', options: [{ value: '', label: t('trn.kindAll') }, ...FS.opts('fs.training', FS.TRAINING_KINDS)] },
			{ name: 'from', label: t('trn.from'), type: 'date' },
			{ name: 'to', label: t('trn.to'), type: 'date' },
		],
		{ layout: 'inline', testid: 'trn-filter' },
	);
	const search = async () => {
		filters.clearErrors();
		const v = filters.values();
		await list.search(Object.fromEntries(Object.entries(v).filter(([, x]) => x)));
		if (!list.page && list.lastError) filters.showError(list.lastError);
	};
	el.append(
		pageHeader(t('nav.trainings'), {
			desc: t('trn.desc'),
			actions: exportButtons({ path: '/trainings', query: () => list.exportQuery(), base: 'trainings', testid: 'trn-export' }),
		}),
		filterBar(filters, { onSearch: search, onReset: search }),
		card(null, list.el, { cls: 'card-table' }),
	);
	await search();
}
