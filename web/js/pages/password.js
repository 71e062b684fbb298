/*
 * password.js — change one's own password (PUT /session/password). Also
 * the page a user with an initial password is held on (forced = true)
 * until it is changed: every other route answers 403 until then.
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { session, loadSession } from '../session.js';
import { Form, button, busy, card, pageHeader, alertBox, toast } from '../ui.js';

export function render({ el, forced, onDone, onSignOut, navigate }) {
	const submit = button(t('password.submit'), { kind: 'primary', type: 'submit', testid: 'password-submit' });
	const form = new Form(
		[
			{ name: 'current_password', label: t('password.current'), type: 'password', required: true, autocomplete: 'current-password', maxlength: 128 },
			{ name: 'new_password', label: t('password.new'), type: 'password', required: true, autocomplete: 'new-password', maxlength: 128, help: t('password.rules') },
			{ name: 'confirm', label: t('password.confirm'), type: 'password', required: true, autocomplete: 'new-password', maxlength: 128 },
		],
		{
			testid: 'password-form',
			onSubmit: () =>
				busy(submit, async () => {
					if (!form.validate()) return;
					const v = form.values();
					if (v.new_password !== v.confirm) {
						form.setError('confirm', t('password.mismatch'));
						form.focus('confirm');
						return;
					}
					try {
						await api.put('/session/password', { current_password: v.current_password, new_password: v.new_password });
						await loadSession();
						toast.success(t('password.changed'));
						if (forced) onDone();
						else navigate('/');
					} catch (err) {
						if (err.field === 'new_password' && err.code === 'field_invalid') form.setError('new_password', `${err.message} ${t('password.sameOrWeak')}`);
						else if (err.field === 'current_password' && err.code === 'field_invalid') form.setError('current_password', t('password.wrongCurrent'));
						else form.showError(err);
						if (err.field) form.focus(err.field);
					}
				}),
		},
	);
	/* lets password managers file the new password under the right account */
	form.el.prepend(h('input', { type: 'text', name: 'username', autocomplete: 'username', value: session.user.username, hidden: true, readonly: true, tabindex: '-1' }));
	const actions = h('div', { class: 'form-actions' }, submit);
	form.el.appendChild(actions);

	if (forced) {
		actions.appendChild(button(t('auth.signOut'), { kind: 'link', onClick: onSignOut, testid: 'password-signout' }));
		el.appendChild(
			h(
				'div',
				{ class: 'auth-card card', 'data-testid': 'forced-password' },
				h('h1', { class: 'auth-card-title' }, t('password.forcedTitle')),
				alertBox('warning', t('password.forcedText', { name: session.user.display_name || session.user.username })),
				form.el,
			),
		);
	} else {
		el.append(pageHeader(t('nav.password'), { desc: t('password.desc') }), card(null, form.el, { cls: 'card-narrow' }));
	}
	setTimeout(() => form.focus('current_password'), 0);
}
