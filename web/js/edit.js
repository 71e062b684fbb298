/*
 * edit.js — saving an edit drawer's changes the same way on every page:
 * PATCH the record with the version it was read at; if someone else saved
 * first (409), load the record as it now is into the form and say so, so
 * the user decides again on current data instead of overwriting it.
 */
import { t } from './i18n.js';
import { api } from './api.js';

/* Returns the saved record, or null when it was not saved (the form
 * then shows why). onConflict runs after the reload (e.g. refresh a list). */
export async function savePatch(path, patch, { form, fill, onConflict } = {}) {
	try {
		return await api.patch(path, patch);
	} catch (err) {
		if (!err.isConflict) {
			form.showError(err);
			return null;
		}
		try {
			fill(await api.get(path));
		} catch {
			/* the message below still stands */
		}
		form.alert('warning', t('conflict.reloaded'), { title: err.message });
		if (onConflict) onConflict();
		return null;
	}
}
