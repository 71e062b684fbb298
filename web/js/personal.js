/*
 * personal.js — personal data on screen (SPEC X5). Phones and ID numbers
 * come masked in every answer (138****8000); a role allowed to see one in
 * full gets a "show" button that asks GET …/:id?reveal=phone|id_number,
 * which the server records in the audit trail before it answers — so the
 * full value is fetched only when someone asks for it, one at a time.
 *
 * Who may see what in full is not in the permission list (the route is
 * the same GET), so the tables of docs/api.md are repeated here; the
 * server still decides, and answers 403 to anyone else.
 */
import { h } from './dom.js';
import { t } from './i18n.js';
import { hasAnyRole } from './session.js';
import { button, busy, toast } from './ui.js';

export const REVEAL = {
	households: { phone: ['admin', 'manager', 'service_desk', 'supervisor', 'dispatcher'], id_number: ['admin', 'manager'] },
	staff: { phone: ['admin', 'manager', 'supervisor', 'dispatcher'], id_number: ['admin', 'manager'] },
};

export function mayReveal(kind, field) {
	return hasAnyRole(REVEAL[kind][field] || []);
}

export function isMasked(v) {
	return typeof v === 'string' && v.includes('*');
}

/*
 * personalField({value, testid, revealable, load, label}) → {el, show(full)}.
 * load() fetches the full value and calls show() on every field it
 * revealed (one reveal=phone answers both phones of a household); label
 * names the field to a screen reader, whose "show" buttons would all
 * read alike otherwise.
 */
export function personalField({ value, testid, revealable, load, label }) {
	const text = h('span', { class: 'pii-value', 'data-testid': testid }, value || t('common.none'));
	const el = h('span', { class: 'pii' }, text);
	let btn = null;
	const show = (full) => {
		text.textContent = full || t('common.none');
		el.classList.add('is-revealed');
		if (btn) btn.remove();
		btn = null;
	};
	if (revealable && isMasked(value)) {
		btn = button(t('pii.reveal'), {
			kind: 'link',
			size: 'sm',
			icon: 'eye',
			testid: `${testid}-reveal`,
			onClick: () =>
				busy(btn, async () => {
					try {
						await load();
					} catch (err) {
						toast.error(err.message);
					}
				}),
		});
		btn.setAttribute('aria-label', label ? t('pii.revealFieldLabel', { field: label }) : t('pii.revealLabel'));
		el.append(' ', btn);
	}
	return { el, show, revealable: Boolean(btn) };
}

/*
 * A form field that shows a masked value: unchanged, it is not sent; a
 * new value must be whole, never a masked one. → {value} to send,
 * {skip: true}, or {error}.
 */
export function maskedEdit(typed, stored) {
	const before = stored || '';
	if (typed === before) return { skip: true };
	if (typed === '') return { value: null };
	if (isMasked(typed)) return { error: t('pii.maskedEdit') };
	return { value: typed };
}
