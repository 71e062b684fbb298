/*
 * jobrules.js — what each job type requires (SPEC S3, S4), #/job-rules:
 * the certificates a worker must hold and the lowest level, per job type;
 * every job also needs a valid health certificate. Staff readers see the
 * table; admins change a rule in a drawer (PUT /api/v1/job-rules with the
 * version read, audited with the reason given; a rule changed meanwhile is
 * reloaded into the drawer). Eligibility and assignments follow at once.
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { can } from '../session.js';
import { button, tag, card, pageHeader, formDrawer, toast, dataTable, alertBox, spinner } from '../ui.js';
import { CERT_TYPES, opts } from '../fieldstaff.js';
import { LEVELS } from './staff.js';

export async function render({ el }) {
	const mayEdit = can('PUT /api/v1/job-rules');
	const slot = h('div', null, spinner());
	el.append(
		pageHeader(t('nav.jobRules'), { desc: t('rules.desc') }),
		alertBox('info', t('rules.health')),
		card(null, slot, { cls: 'card-table' }),
	);
	let rules = (await api.get('/job-rules')).items;
	draw();

	function draw() {
		const columns = [
			{ key: 'job_type', title: t('rules.col.job'), render: (r) => h('strong', null, t(`staff.job.${r.job_type}`)) },
			{
				key: 'certificates',
				title: t('rules.col.certs'),
				render: (r) => h('div', { class: 'tags', 'data-testid': 'rule-certs' }, tag(t('fs.cert.health'), 'default'), r.certificates.filter((c) => c !== 'health').map((c) => tag(t(`fs.cert.${c}`), 'blue', { 'data-cert': c }))),
			},
			{ key: 'level', title: t('rules.col.level'), render: (r) => h('span', { 'data-testid': 'rule-level' }, t(`staff.level.${r.level}`)) },
			mayEdit ? { key: 'actions', title: t('common.actions'), cls: 'col-actions col-actions-tight', render: (r) => button(t('common.edit'), { kind: 'link', size: 'sm', testid: 'rule-edit', onClick: () => edit(r) }) } : null,
		].filter(Boolean);
		slot.replaceChildren(dataTable({ columns, rows: rules, rowKey: 'job_type', empty: t('common.empty'), testid: 'rules-list', caption: t('nav.jobRules') }));
	}

	function edit(r) {
		formDrawer({
			title: t('rules.edit', { job: t(`staff.job.${r.job_type}`) }),
			testid: 'rule-drawer',
			fields: [
				{ name: 'certificates', label: t('rules.col.certs'), type: 'checkboxes', options: opts('fs.cert', CERT_TYPES.filter((c) => c !== 'health')), value: r.certificates.filter((c) => c !== 'health'), help: t('rules.health') },
				{ name: 'level', label: t('rules.col.level'), type: 'select', required: true, options: opts('staff.level', LEVELS), value: r.level },
				{ name: 'reason', label: t('common.reason'), type: 'textarea', maxlength: 200, placeholder: t('common.reasonHint') },
			],
			submit: async (v, form, drawer) => {
				/* the health certificate is always needed; a rule that names it keeps it */
				const keep = r.certificates.includes('health') ? ['health'] : [];
				const body = { job_type: r.job_type, certificates: [...keep, ...v.certificates], level: v.level, version: r.version };
				if (v.reason) body.reason = v.reason;
				try {
					rules = (await api.put('/job-rules', body)).items;
				} catch (err) {
					if (!err.isConflict) {
						form.showError(err);
						return;
					}
					/* another admin changed the rule meanwhile: the rule as it
					   now is, in the table and the drawer, to decide again (X3) */
					rules = (await api.get('/job-rules')).items;
					draw();
					r = rules.find((x) => x.job_type === r.job_type) || r;
					form.setValues({ certificates: r.certificates.filter((c) => c !== 'health'), level: r.level });
					form.markClean();
					form.alert('warning', t('conflict.reloaded'), { title: err.message });
					return;
				}
				toast.success(t('rules.saved', { job: t(`staff.job.${r.job_type}`) }));
				drawer.close();
				draw();
			},
		});
	}
}
