/*
 * login.js — sign in. Wrong password (401) and a locked account (423)
 * come back with the server's message in the chosen language.
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { login } from '../session.js';
import { Form, button, busy } from '../ui.js';

export function render({ el, onSignedIn }) {
	const submit = button(t('auth.signIn'), { kind: 'primary', type: 'submit', cls: 'btn-block', testid: 'login-submit' });
	const form = new Form(
		[
			{ name: 'username', label: t('auth.username'), required: true, autocomplete: 'username', verbatim: true, maxlength: 32, placeholder: t('auth.usernameHint') },
			{ name: 'password', label: t('auth.password'), type: 'password', required: true, autocomplete: 'current-password', maxlength: 128 },
		],
		{
			testid: 'login-form',
			onSubmit: () =>
				busy(submit, async () => {
					if (!form.validate()) return;
					const v = form.values();
					try {
						await login(v.username, v.password);
						onSignedIn();
					} catch (err) {
						form.alert(err.status === 423 ? 'warning' : 'error', err.message);
						const pw = form.field('password');
						pw.value = '';
						if (err.status === 401 || err.status === 423) pw.focus();
					}
				}),
		},
	);
	form.el.appendChild(submit);
	el.appendChild(
		h(
			'div',
			{ class: 'auth-card card' },
			h('h1', { class: 'auth-card-title' }, t('auth.signIn')),
			h('p', { class: 'auth-card-desc' }, t('auth.signInDesc')),
			form.el,
		),
	);
	/* The first field takes the focus once drawn — but not from the
	   language switch that drew the screen anew: it gave the focus back to
	   the language pressed, and taking it here first made it flip to the
	   field and back (a browser test caught it in between). */
	setTimeout(() => {
		if (!document.activeElement || !document.activeElement.closest('.lang-switch')) form.focus('username');
	}, 0);
}
