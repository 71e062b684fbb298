/*
 * jobs.js — background jobs for admins: what is queued, what ran and
 * what failed and why; retry a dead or cancelled job, cancel a pending
 * one (both confirmed, with an optional reason for the audit trail).
 */
import { h } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../session.js';
import { fmtDateTime } from '../format.js';
import { ListView, restoreFilters } from '../list.js';
import { Form, button, tag, card, pageHeader, filterBar, openDrawer, confirm, toast, descriptions, codeBlock, spinner, errorState } from '../ui.js';

const STATES = ['pending', 'running', 'done', 'dead', 'cancelled'];
const STATE_COLORS = { pending: 'blue', running: 'cyan', done: 'green', dead: 'red', cancelled: 'default' };
const KINDS = ['session.purge', 'audit.verify', 'calendar.coverage', 'staff.cert_expiry', 'staff.annual_training', 'housekeeping.prune'];

const kindLabel = (k) => tOr(`job.kind.${k}`, k);
const stateTag = (s) => tag(t(`job.state.${s}`), STATE_COLORS[s] || 'default', { 'data-state': s });

export async function render({ el, query }) {
	const canRetry = can('POST /api/v1/jobs/:id/retry');
	const canCancel = can('POST /api/v1/jobs/:id/cancel');

	const list = new ListView({
		fetch: (q) => api.get('/jobs', q),
		testid: 'jobs-list',
		empty: t('job.empty'),
		caption: t('nav.jobs'),
		columns: [
			{ key: 'id', title: t('job.id'), cls: 'num' },
			{ key: 'kind', title: t('job.kind'), render: (j) => h('div', null, h('div', null, kindLabel(j.kind)), h('code', { class: 'text-secondary small' }, j.kind)) },
			{ key: 'state', title: t('job.state'), render: (j) => stateTag(j.state) },
			{ key: 'attempts', title: t('job.attempts'), nowrap: true, render: (j) => `${j.attempts} / ${j.max_attempts}` },
			{ key: 'run_at', title: t('job.runAt'), nowrap: true, render: (j) => fmtDateTime(j.run_at) },
			{ key: 'finished_at', title: t('job.finishedAt'), nowrap: true, render: (j) => fmtDateTime(j.finished_at) },
			{ key: 'outcome', title: t('job.outcome'), render: (j) => (j.last_error ? h('span', { class: 'text-error' }, j.last_error) : j.result || '') },
			{ key: 'actions', title: t('common.actions'), cls: 'col-actions', render: actions },
		],
	});

	function actions(j) {
		const out = [button(t('common.details'), { kind: 'link', size: 'sm', onClick: () => detail(j.id), testid: 'job-open' })];
		if (canRetry && (j.state === 'dead' || j.state === 'cancelled')) out.push(button(t('job.retry'), { kind: 'link', size: 'sm', onClick: () => act(j, 'retry'), testid: 'job-retry' }));
		if (canCancel && j.state === 'pending') out.push(button(t('job.cancel'), { kind: 'link', size: 'sm', cls: 'text-error', onClick: () => act(j, 'cancel'), testid: 'job-cancel' }));
		return h('div', { class: 'row-actions' }, out);
	}

	async function act(j, what) {
		const ok = await confirm({
			title: t(`job.${what}Title`, { id: j.id }),
			message: t(`job.${what}Text`, { id: j.id, kind: kindLabel(j.kind) }),
			okText: t(`job.${what}`),
			danger: what === 'cancel',
			reason: true,
		});
		if (!ok) return;
		try {
			await api.post(`/jobs/${j.id}/${what}`, { version: j.version, ...(ok.reason ? { reason: ok.reason } : {}) });
			toast.success(t(`job.${what}Done`, { id: j.id }));
		} catch (err) {
			toast.error(err.isConflict ? `${err.message} ${t('conflict.listReloaded')}` : err.message);
		}
		list.reload();
	}

	async function detail(id) {
		const body = h('div', null, spinner());
		openDrawer({ title: t('job.detail', { id }), content: body, testid: 'job-detail', width: 600 });
		try {
			const j = await api.get(`/jobs/${id}`);
			body.replaceChildren(
				descriptions(
					[
						[t('job.id'), String(j.id)],
						[t('job.kind'), `${kindLabel(j.kind)} (${j.kind})`],
						[t('job.state'), stateTag(j.state)],
						[t('job.attempts'), `${j.attempts} / ${j.max_attempts}`],
						[t('job.runAt'), fmtDateTime(j.run_at)],
						[t('job.createdAt'), fmtDateTime(j.created_at)],
						[t('job.updatedAt'), fmtDateTime(j.updated_at)],
						[t('job.finishedAt'), fmtDateTime(j.finished_at)],
						[t('job.result'), j.result || ''],
						[t('job.lastError'), j.last_error ? h('span', { class: 'text-error' }, j.last_error) : ''],
						[t('common.version'), String(j.version)],
					],
					{ cols: 1 },
				),
				h('h3', { class: 'section-title' }, t('job.payload')),
				codeBlock(JSON.stringify(j.payload, null, 2)),
			);
		} catch (err) {
			body.replaceChildren(errorState(err));
		}
	}

	const filters = new Form(
		[
			{ name: 'state', label: t('job.state'), type: 'select', options: [{ value: '', label: t('common.all') }, ...STATES.map((s) => ({ value: s, label: t(`job.state.${s}`) }))] },
			{ name: 'kind', label: t('job.kind'), type: 'select', options: [{ value: '', label: t('common.all') }, ...KINDS.map((k) => ({ value: k, label: kindLabel(k) }))] },
		],
		{ layout: 'inline', testid: 'jobs-filter' },
	);
	restoreFilters(filters, query);
	const search = () => list.search(filters.values());

	el.append(
		pageHeader(t('nav.jobs'), { desc: t('job.desc'), actions: button(t('common.refresh'), { icon: 'refresh', onClick: () => list.reload(), testid: 'jobs-refresh' }) }),
		filterBar(filters, { onSearch: search, onReset: search }),
		card(null, list.el, { cls: 'card-table' }),
	);
	list.state.filters = filters.values();
	await list.reload();
}
