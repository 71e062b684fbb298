/*
 * reauth.js — signing in again without losing what was typed. A session
 * that ends while a drawer holds unsaved edits (it expired, or was ended
 * elsewhere) does not send the user to the sign-in page, which would
 * close the drawer: a dialog over it asks for the password of the same
 * account, and the form is still there to save. app.js decides when
 * (ui.js overlaysDirty()); with no edits open, the usual way is taken.
 *
 * Only the account that was signed in may sign in here: the edits are
 * theirs. "Discard edits and sign out" gives up (leave(), app.js).
 * Closing the dialog leaves the form on screen, to copy from; the next
 * request that finds no session opens the dialog again.
 */
import { h, icon } from './dom.js';
import { t } from './i18n.js';
import { session, login } from './session.js';
import { Form, button, busy, openDialog, toast } from './ui.js';

let dialog = null;

/* signInAgain({onSignedIn, leave}) — once, however many requests fail. */
export function signInAgain({ onSignedIn, leave }) {
	if (dialog && !dialog.closed) return;
	const who = session.user;
	const ok = button(t('auth.signIn'), { kind: 'primary', testid: 'reauth-submit', onClick: () => form.el.requestSubmit() });
	const form = new Form(
		[
			{ name: 'username', label: t('auth.username'), value: who.username, disabled: true, autocomplete: 'username' },
			{ name: 'password', label: t('auth.password'), type: 'password', required: true, autocomplete: 'current-password', maxlength: 128 },
		],
		{
			testid: 'reauth-form',
			onSubmit: () =>
				busy(ok, async () => {
					if (!form.validate()) return;
					try {
						await login(who.username, form.values().password);
					} catch (err) {
						form.alert(err.status === 423 ? 'warning' : 'error', err.message);
						form.field('password').value = '';
						form.focus('password');
						return;
					}
					const d = dialog;
					dialog = null;
					d.close();
					toast.success(t('auth.signedInAgain'));
					onSignedIn();
				}),
		},
	);
	const signOut = button(t('auth.discardSignOut'), {
		testid: 'reauth-leave',
		onClick: () => {
			dialog.close();
			dialog = null;
			leave();
		},
	});
	dialog = openDialog({
		title: t('auth.sessionEndedTitle'),
		testid: 'reauth-dialog',
		width: 420,
		content: [h('div', { class: 'confirm-message' }, icon('warn', 'text-warning'), h('p', null, t('auth.sessionEndedKeep'))), form.el],
		footer: [signOut, ok],
	});
}
