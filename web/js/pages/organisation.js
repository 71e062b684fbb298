/*
 * organisation.js — one's own organisation (SPEC X1): its name, code,
 * kind and time zone; an admin may rename it (with the version read, so
 * a concurrent rename is refused, not overwritten).
 */
import { h } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { api } from '../api.js';
import { session, can } from '../session.js';
import { fmtDateTime } from '../format.js';
import { Form, button, busy, card, pageHeader, descriptions, openDialog, toast } from '../ui.js';

export async function render({ el, refreshOrgName }) {
	let tenant = await api.get('/tenant');
	const body = h('div', { 'data-testid': 'org-details' });

	function show() {
		body.replaceChildren(
			descriptions([
				[t('org.name'), h('strong', { 'data-testid': 'org-name-value' }, tenant.name)],
				[t('org.code'), h('code', null, tenant.code)],
				[t('org.kind'), tOr(`org.kind.${tenant.kind}`, tenant.kind)],
				[t('org.timezone'), `${tenant.tz_name} (${tenant.utc_offset_min >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(tenant.utc_offset_min) / 60)).padStart(2, '0')}:${String(Math.abs(tenant.utc_offset_min) % 60).padStart(2, '0')})`],
				[t('org.createdAt'), fmtDateTime(tenant.created_at)],
				[t('org.updatedAt'), fmtDateTime(tenant.updated_at)],
				[t('common.version'), String(tenant.version)],
			]),
		);
	}

	function rename() {
		const submit = button(t('common.save'), { kind: 'primary', testid: 'org-save', onClick: () => form.el.requestSubmit() });
		const form = new Form(
			[
				{ name: 'name', label: t('org.name'), required: true, maxlength: 64, value: tenant.name },
				{ name: 'reason', label: t('common.reason'), type: 'textarea', maxlength: 200, placeholder: t('common.reasonHint') },
			],
			{
				testid: 'org-form',
				onSubmit: () =>
					busy(submit, async () => {
						if (!form.validate()) return;
						const v = form.values();
						if (v.name === tenant.name) {
							form.alert('info', t('common.noChanges'));
							return;
						}
						try {
							tenant = await api.patch('/tenant', { version: tenant.version, name: v.name, ...(v.reason ? { reason: v.reason } : {}) });
							session.tenant = tenant;
							refreshOrgName();
							show();
							toast.success(t('org.saved'));
							dlg.close();
						} catch (err) {
							if (err.isConflict) {
								tenant = await api.get('/tenant');
								show();
								form.setValues({ name: tenant.name });
								form.alert('warning', t('conflict.reloaded'), { title: err.message });
							} else form.showError(err);
						}
					}),
			},
		);
		const dlg = openDialog({ title: t('org.rename'), content: form.el, testid: 'org-dialog', footer: [button(t('common.cancel'), { onClick: () => dlg.close() }), submit] });
	}

	show();
	el.append(
		pageHeader(t('nav.organisation'), { desc: t('org.desc'), actions: can('PATCH /api/v1/tenant') ? button(t('org.rename'), { kind: 'primary', icon: 'edit', onClick: rename, testid: 'org-rename' }) : null }),
		card(t('org.details'), body),
	);
}
