/*
 * ui.js — the shared components every page is built from, so every page
 * looks and behaves the same: buttons, tags, cards, page header, filter
 * bar, table with sorting, pager, forms with per-field errors, drawers and
 * dialogs (focus moves in, Escape closes, focus returns), confirmations,
 * toasts, empty and error states. Styles live in css/app.css.
 */
import { h, icon, clear, nextId } from './dom.js';
import { t } from './i18n.js';

/* ---- small pieces ---- */

export function button(label, { kind = 'default', icon: ic, onClick, type = 'button', size, title, disabled, testid, cls } = {}) {
	const b = h(
		'button',
		{
			type,
			class: ['btn', `btn-${kind}`, size ? `btn-${size}` : '', cls || ''],
			onclick: onClick,
			title,
			'aria-label': !label && title ? title : null,
			disabled,
			'data-testid': testid,
		},
		ic ? icon(ic) : null,
		label ? h('span', null, label) : null,
	);
	return b;
}

/* Shows a spinner and disables the button while a promise runs. */
export async function busy(btn, fn) {
	if (!btn) return fn();
	btn.disabled = true;
	btn.classList.add('is-loading');
	try {
		return await fn();
	} finally {
		btn.disabled = false;
		btn.classList.remove('is-loading');
	}
}

export function tag(text, color = 'default', extra = {}) {
	return h('span', { class: `tag tag-${color}`, ...extra }, text);
}

export function card(title, body, { extra, cls } = {}) {
	return h(
		'section',
		{ class: ['card', cls] },
		title || extra ? h('div', { class: 'card-head' }, title ? h('h2', { class: 'card-title' }, title) : null, extra ? h('div', { class: 'card-extra' }, extra) : null) : null,
		h('div', { class: 'card-body' }, body),
	);
}

export function pageHeader(title, { desc, actions } = {}) {
	return h(
		'div',
		{ class: 'page-header' },
		h('div', { class: 'page-heading' }, h('h1', { class: 'page-title' }, title), desc ? h('p', { class: 'page-desc' }, desc) : null),
		actions ? h('div', { class: 'page-actions' }, actions) : null,
	);
}

export function alertBox(kind, message, { title, actions } = {}) {
	const icons = { info: 'info', success: 'check', warning: 'warn', error: 'error' };
	return h(
		'div',
		{ class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
		icon(icons[kind] || 'info', 'alert-icon'),
		h('div', { class: 'alert-content' }, title ? h('div', { class: 'alert-title' }, title) : null, message ? h('div', { class: 'alert-message' }, message) : null),
		actions ? h('div', { class: 'alert-actions' }, actions) : null,
	);
}

export function emptyState(text, action) {
	return h(
		'div',
		{ class: 'empty' },
		h('div', { class: 'empty-image', 'aria-hidden': 'true' }, icon('audit')),
		h('p', { class: 'empty-text' }, text || t('common.empty')),
		action || null,
	);
}

export function spinner(text) {
	return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spin', 'aria-hidden': 'true' }), h('span', null, text || t('common.loading')));
}

export function errorState(err, retry) {
	return h(
		'div',
		{ class: 'error-state' },
		alertBox('error', err && err.message ? err.message : t('error.unknown'), {
			title: t('error.loadFailed'),
			actions: retry ? button(t('common.retry'), { icon: 'refresh', onClick: retry, size: 'sm' }) : null,
		}),
	);
}

/* Key/value list (Ant "Descriptions"). items: [[label, value], …] */
export function descriptions(items, { cols = 2 } = {}) {
	return h(
		'dl',
		{ class: `desc desc-${cols}` },
		items.filter(Boolean).map(([label, value]) => h('div', { class: 'desc-item' }, h('dt', null, label), h('dd', null, value === '' || value === null || value === undefined ? t('common.none') : value))),
	);
}

export function statCard(label, value, { hint, color, href, testid } = {}) {
	const inner = [h('div', { class: 'stat-label' }, label), h('div', { class: ['stat-value', color ? `text-${color}` : ''] }, value), hint ? h('div', { class: 'stat-hint' }, hint) : null];
	return href ? h('a', { class: 'card stat stat-link', href, 'data-testid': testid }, inner) : h('div', { class: 'card stat', 'data-testid': testid }, inner);
}

/* ---- toast ---- */

/* The toasts' live region is there, empty, from the start: a region made
   with its first message in it is not read by every screen reader. */
let toastRoot = null;
function toastRegion() {
	if (!toastRoot) {
		toastRoot = h('div', { class: 'toasts', 'aria-live': 'polite', 'aria-atomic': 'false' });
		document.body.appendChild(toastRoot);
	}
	return toastRoot;
}
if (document.body) toastRegion();
else document.addEventListener('DOMContentLoaded', toastRegion);

export function toast(message, kind = 'info', ms = 3000) {
	toastRegion();
	const icons = { info: 'info', success: 'check', warning: 'warn', error: 'error' };
	const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, icon(icons[kind] || 'info'), h('span', null, message));
	toastRoot.appendChild(el);
	setTimeout(() => {
		el.classList.add('toast-leave');
		setTimeout(() => el.remove(), 250);
	}, kind === 'error' ? Math.max(ms, 5000) : ms);
	return el;
}
toast.success = (m) => toast(m, 'success');
toast.error = (m) => toast(m, 'error');
toast.warning = (m) => toast(m, 'warning');
toast.info = (m) => toast(m, 'info');

/* ---- overlays: drawer and dialog ---- */

const stack = [];
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

document.addEventListener('keydown', (e) => {
	const top = stack[stack.length - 1];
	if (!top) return;
	if (e.key === 'Escape') {
		e.preventDefault();
		top.dismiss();
	} else if (e.key === 'Tab') {
		const items = [...top.panel.querySelectorAll(FOCUSABLE)].filter((x) => x.offsetParent !== null && x.tabIndex >= 0);
		if (!items.length) return;
		const first = items[0];
		const last = items[items.length - 1];
		if (e.shiftKey && document.activeElement === first) {
			e.preventDefault();
			last.focus();
		} else if (!e.shiftKey && document.activeElement === last) {
			e.preventDefault();
			first.focus();
		}
	}
});

/*
 * An overlay is closed by its code (close(), after a save) or dismissed
 * by its user (dismiss(): Escape, ×, the mask, a Cancel button). With
 * dirty, a function that says whether it holds unsaved edits, a dismissal
 * asks first: typed notes are not lost to a stray Escape.
 */
function overlay(kind, { title, content, footer, width, onClose, testid, closeOnMask = true, dirty }) {
	const opener = document.activeElement;
	const titleId = nextId('ov-title');
	const body = h('div', { class: `${kind}-body` }, content);
	const foot = h('div', { class: `${kind}-footer` }, footer || null);
	let closed = false;
	const ctl = {
		body,
		close() {
			if (closed) return;
			closed = true;
			const i = stack.indexOf(ctl);
			if (i >= 0) stack.splice(i, 1);
			root.classList.add('is-leaving');
			setTimeout(() => root.remove(), 180);
			if (!stack.length) document.body.classList.remove('no-scroll');
			if (opener && typeof opener.focus === 'function' && document.contains(opener)) opener.focus();
			if (onClose) onClose();
		},
		isDirty() {
			return Boolean(dirty && dirty());
		},
		dismiss() {
			if (closed) return;
			if (!ctl.isDirty()) {
				ctl.close();
				return;
			}
			confirm({ title: t('form.discardTitle'), message: t('form.discardMessage'), okText: t('form.discard'), danger: true }).then((ok) => {
				if (ok) ctl.close();
			});
		},
		setFooter(nodes) {
			clear(foot);
			if (nodes) foot.append(...[].concat(nodes));
		},
		setTitle(text) {
			panel.querySelector(`#${titleId}`).textContent = text;
		},
		get closed() {
			return closed;
		},
	};
	const closeBtn = button('', { kind: 'text', icon: 'close', title: t('common.close'), onClick: () => ctl.dismiss(), cls: `${kind}-close` });
	const panel = h(
		'div',
		{ class: `${kind}`, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, 'data-testid': testid },
		h('div', { class: `${kind}-header` }, h('h2', { class: `${kind}-title`, id: titleId }, title), closeBtn),
		body,
		foot,
	);
	if (width) panel.style.width = typeof width === 'number' ? `${width}px` : width;
	const mask = h('div', { class: 'mask', onclick: () => closeOnMask && ctl.dismiss() });
	const root = h('div', { class: `overlay overlay-${kind}` }, mask, panel);
	ctl.panel = panel;
	ctl.root = root;
	document.body.appendChild(root);
	document.body.classList.add('no-scroll');
	stack.push(ctl);
	requestAnimationFrame(() => root.classList.add('is-open'));
	/* focus the first field, else the first button, else the close button */
	setTimeout(() => {
		const first = body.querySelector('input:not([type=hidden]):not([disabled]), select, textarea') || body.querySelector(FOCUSABLE) || foot.querySelector(FOCUSABLE) || closeBtn;
		first.focus();
	}, 0);
	return ctl;
}

export function openDrawer(opts) {
	return overlay('drawer', opts);
}

export function openDialog(opts) {
	return overlay('dialog', { closeOnMask: false, ...opts });
}

/* Whether the overlay on top holds edits it would ask about; and its
   dismissal, which asks (Back on a phone, app.js). */
export function topOverlayDirty() {
	const top = stack[stack.length - 1];
	return Boolean(top && top.isDirty());
}
/* Whether any open overlay holds such edits: a question may sit on top
   of the drawer that does (a session ending mid-edit, app.js). */
export function overlaysDirty() {
	return stack.some((o) => o.isDirty());
}
export function dismissTopOverlay() {
	const top = stack[stack.length - 1];
	if (top) top.dismiss();
}

export function closeAllOverlays() {
	while (stack.length) stack[stack.length - 1].close();
}

/*
 * ask(…) — what confirm() and promptText() are: a dialog with a message
 * and at most one text field; resolves false when cancelled, else the
 * field's value ('' without a field).
 */
function ask({ title, message, field, okText, danger, testid, okTestid }) {
	return new Promise((resolve) => {
		let done = false;
		const form = field ? new Form([field], { onSubmit: () => ok.click() }) : null;
		const finish = (v) => {
			if (done) return;
			done = true;
			resolve(v);
			dlg.close();
		};
		const ok = button(okText || t('common.ok'), {
			kind: danger ? 'danger' : 'primary',
			testid: okTestid,
			onClick: () => {
				if (form && !form.validate()) return;
				finish(form ? form.values()[field.name] : '');
			},
		});
		const cancel = button(t('common.cancel'), { testid: 'confirm-cancel', onClick: () => finish(false) });
		const dlg = openDialog({
			title,
			testid,
			content: [message ? h('div', { class: 'confirm-message' }, icon(danger ? 'warn' : 'info', danger ? 'text-error' : 'text-primary'), h('p', null, message)) : null, form ? form.el : null],
			footer: [cancel, ok],
			onClose: () => {
				if (!done) {
					done = true;
					resolve(false);
				}
			},
		});
		/* a question about something that cannot be undone (discard the
		   edits, dismiss a worker) starts on Cancel: Enter or Space
		   pressed on the way does no harm */
		if (!form) setTimeout(() => (danger ? cancel : ok).focus(), 0);
	});
}

/*
 * confirm({title, message, okText, danger, reason}) → Promise of false, or
 * {reason} when confirmed. With reason: true the dialog asks for an
 * optional reason, which goes into the audit trail.
 */
export function confirm({ title, message, okText, danger = false, reason = false, reasonRequired = false }) {
	const field = reason ? { name: 'reason', label: t('common.reason'), type: 'textarea', maxlength: 200, required: reasonRequired, placeholder: t(reasonRequired ? 'common.reasonRequiredHint' : 'common.reasonHint') } : null;
	return ask({ title, message, field, okText, danger, testid: 'confirm-dialog', okTestid: 'confirm-ok' }).then((v) => (v === false ? false : { reason: v }));
}

/*
 * formDrawer({title, testid, fields, submitText, intro, submit}) — a drawer
 * holding one Form: Cancel and a primary button in the footer, Enter
 * submits, required fields are checked first, then submit(values, form,
 * drawer) runs with the button busy. Test ids: <testid> (the drawer),
 * <testid>-form, <testid>-submit.
 */
export function formDrawer({ title, testid, fields, submitText, intro, submit, width = 560, danger = false }) {
	let form = null;
	const ok = button(submitText || t('common.save'), { kind: danger ? 'danger' : 'primary', testid: `${testid}-submit`, onClick: () => form.el.requestSubmit() });
	form = new Form(fields, {
		testid: `${testid}-form`,
		onSubmit: () =>
			busy(ok, async () => {
				if (!form.validate()) return;
				await submit(form.values(), form, drawer);
			}),
	});
	const drawer = editDrawer({ title, testid, width, content: [intro || null, form.el], submit: ok, form: () => form });
	return { form, drawer };
}

/*
 * editDrawer({title, content, testid, width, submit, form}) — a drawer
 * for an edit: Cancel and the submit button in its footer, and a
 * dismissal that asks before it discards what was typed; form() is its
 * Form once it has one (a record's form comes after the record).
 */
export function editDrawer({ title, content, testid, width, submit, form }) {
	const drawer = openDrawer({
		title,
		content,
		testid,
		width,
		footer: [button(t('common.cancel'), { onClick: () => drawer.dismiss() }), submit],
		dirty: () => Boolean(form()) && form().dirty(),
	});
	return drawer;
}

/*
 * promptText({title, message, label, required, okText, danger, maxlength,
 * testid}) → Promise of false, or the text entered (a required reason for
 * a cancellation, the notes of a hand-back). Test ids: <testid> (default
 * prompt-dialog), prompt-ok; the field is textarea[name=text].
 */
export function promptText({ title, message, label, required = false, okText, danger = false, maxlength = 200, placeholder, testid = 'prompt-dialog' }) {
	const field = { name: 'text', label, type: 'textarea', maxlength, required, placeholder: placeholder || (required ? null : t('common.optional')) };
	return ask({ title, message, field, okText, danger, testid, okTestid: 'prompt-ok' });
}

/* ---- forms ---- */

/*
 * new Form(fields, {onSubmit}) — fields: [{name, label, type, required,
 * options:[{value,label}], placeholder, help, maxlength, min, max, value,
 * autocomplete, verbatim (no capitals or corrections from a phone's keyboard),
 * accept, disabled, cols}]. Types: text, password, number,
 * textarea, select, checkboxes, radios, checkbox, datetime-local, date,
 * file, and custom: f.control = {el, get(), set(v)} brings its own inputs
 * (they fire "change" as usual).
 * showError(apiError) puts the server's message under the field it names.
 */
export class Form {
	constructor(fields, { onSubmit, layout = 'vertical', cls, testid } = {}) {
		this.fields = fields;
		this.items = new Map();
		this.alertSlot = h('div', { class: 'form-alert' });
		this.el = h('form', { class: ['form', `form-${layout}`, cls], novalidate: true, 'data-testid': testid }, this.alertSlot);
		for (const f of fields) this.el.appendChild(this.renderItem(f));
		/* a hidden submit button lets Enter submit even when the visible one is in a footer */
		this.el.appendChild(h('button', { type: 'submit', class: 'sr-only', tabindex: '-1', 'aria-hidden': 'true' }));
		/* One submission at a time: Enter pressed twice, or a phone's Go
		 * key tapped twice, while the first save is on its way must not
		 * save the record twice. The busy button alone does not stop the
		 * hidden submit button above. */
		let pending = false;
		if (onSubmit)
			this.el.addEventListener('submit', async (e) => {
				e.preventDefault();
				if (pending) return;
				pending = true;
				try {
					await onSubmit(e);
				} finally {
					pending = false;
				}
			});
		else this.el.addEventListener('submit', (e) => e.preventDefault());
		/* What the form held before its user typed (see dirty()); a form
		   the code fills with a record says so (markClean()). */
		this.saved = this.snapshot();
		this.edited = false;
		const edit = () => {
			this.edited = true;
		};
		this.el.addEventListener('input', edit);
		this.el.addEventListener('change', edit);
	}

	snapshot() {
		return JSON.stringify(this.values(), (k, v) => (typeof File !== 'undefined' && v instanceof File ? `${v.name}:${v.size}` : v));
	}

	/* Whether its user changed what the form holds: typed, and not back to
	   what it was. */
	dirty() {
		return this.edited && this.snapshot() !== this.saved;
	}

	renderItem(f) {
		const id = nextId(`f-${f.name}`);
		const errId = `${id}-err`;
		/* a screen reader reads the help and the error with the field, and
		   hears that a required one is (the label's * is only seen) */
		const helpId = f.help ? `${id}-help` : null;
		const describedBy = helpId ? `${helpId} ${errId}` : errId;
		const required = f.required ? 'true' : null;
		let control;
		let input;
		/* what carries aria-invalid and aria-describedby: the field's own
		   input, or a custom control's first input, select or textarea */
		let aria = null;
		const common = { id, name: f.name, 'aria-describedby': describedBy, 'aria-required': required, disabled: f.disabled, 'data-field': f.name };
		switch (f.type) {
			case 'select':
				input = h('select', { ...common, class: 'select' }, (f.options || []).map((o) => h('option', { value: o.value }, o.label)));
				if (f.value !== undefined) input.value = f.value;
				control = input;
				break;
			case 'textarea':
				input = h('textarea', { ...common, class: 'input textarea', rows: f.rows || 3, maxlength: f.maxlength, placeholder: f.placeholder, value: f.value });
				control = input;
				break;
			case 'checkboxes': {
				input = h(
					'div',
					{ class: 'checkbox-group', role: 'group', id, 'aria-labelledby': `${id}-label`, 'aria-describedby': describedBy, 'data-field': f.name },
					(f.options || []).map((o) =>
						h('label', { class: 'checkbox' }, h('input', { type: 'checkbox', name: f.name, value: o.value, checked: (f.value || []).includes(o.value), disabled: f.disabled }), h('span', null, o.label)),
					),
				);
				control = input;
				break;
			}
			case 'radios':
				input = h(
					'div',
					{ class: 'radio-group', role: 'radiogroup', id, 'aria-labelledby': `${id}-label`, 'aria-describedby': describedBy, 'aria-required': required, 'data-field': f.name },
					(f.options || []).map((o) =>
						h(
							'label',
							{ class: 'radio' },
							h('input', { type: 'radio', name: `${id}-r`, value: o.value, checked: o.value === f.value, disabled: f.disabled }),
							h('span', null, h('span', { class: 'radio-label' }, o.label), o.help ? h('span', { class: 'radio-help' }, o.help) : null),
						),
					),
				);
				control = input;
				break;
			case 'custom':
				input = f.control.el;
				input.setAttribute('data-field', f.name);
				{
					const first = input.querySelector('select, input, textarea');
					if (first) {
						if (!first.id) first.id = id;
						const own = first.getAttribute('aria-describedby');
						first.setAttribute('aria-describedby', own ? `${own} ${describedBy}` : describedBy);
						if (required) first.setAttribute('aria-required', 'true');
						aria = first;
					}
				}
				control = input;
				break;
			case 'checkbox':
				input = h('input', { ...common, type: 'checkbox', checked: Boolean(f.value) });
				control = h('label', { class: 'checkbox', htmlFor: id }, input, h('span', null, f.checkLabel || f.label));
				break;
			case 'file':
				input = h('input', { ...common, type: 'file', class: 'file-input', accept: f.accept });
				control = input;
				break;
			default:
				input = h('input', {
					...common,
					type: f.type || 'text',
					class: 'input',
					placeholder: f.placeholder,
					maxlength: f.maxlength,
					min: f.min,
					max: f.max,
					step: f.step,
					autocomplete: f.autocomplete || (f.type === 'password' ? 'new-password' : 'off'),
					value: f.value === undefined || f.value === null ? '' : f.value,
					inputmode: f.inputmode,
					// a user name: a phone's keyboard would capitalise and "correct" it
					autocapitalize: f.verbatim ? 'none' : undefined,
					autocorrect: f.verbatim ? 'off' : undefined,
					spellcheck: f.verbatim ? 'false' : undefined,
				});
				control = input;
		}
		const err = h('div', { class: 'form-error', id: errId, 'aria-live': 'polite' });
		const showLabel = f.type !== 'checkbox' || f.checkLabel;
		const item = h(
			'div',
			{ class: ['form-item', f.required ? 'is-required' : '', f.cls], 'data-field': f.name },
			showLabel
				? h(f.type === 'checkboxes' || f.type === 'radios' ? 'div' : 'label', { class: 'form-label', id: `${id}-label`, htmlFor: f.type === 'checkboxes' || f.type === 'radios' ? null : id }, f.label)
				: null,
			h('div', { class: 'form-control' }, control, f.help ? h('div', { class: 'form-help', id: helpId }, f.help) : null, err),
		);
		const clearOne = () => this.setError(f.name, null);
		input.addEventListener('input', clearOne);
		input.addEventListener('change', clearOne);
		this.items.set(f.name, { f, item, input, err, helpId, errId, aria: aria || input });
		return item;
	}

	field(name) {
		const it = this.items.get(name);
		return it ? it.input : null;
	}

	has(name) {
		return this.items.has(name);
	}

	values() {
		const out = {};
		for (const [name, { f, input }] of this.items) {
			if (f.type === 'checkboxes') out[name] = [...input.querySelectorAll('input:checked')].map((x) => x.value);
			else if (f.type === 'radios') out[name] = (input.querySelector('input:checked') || { value: '' }).value;
			else if (f.type === 'custom') out[name] = f.control.get();
			else if (f.type === 'checkbox') out[name] = input.checked;
			else if (f.type === 'file') out[name] = input.files && input.files[0] ? input.files[0] : null;
			else if (f.type === 'number') {
				/* an integer too large for a double goes as typed: the server names the field */
				const n = Number(input.value);
				out[name] = input.value === '' ? '' : Number.isSafeInteger(n) || !Number.isInteger(n) ? n : input.value.trim();
			}
			else out[name] = f.type === 'password' ? input.value : input.value.trim();
		}
		return out;
	}

	/* A select's choices made again (a list that changed since the form
	   was drawn: the documents of a file reloaded after a conflict). */
	setOptions(name, options) {
		const it = this.items.get(name);
		if (!it || it.f.type !== 'select') return;
		it.f.options = options;
		it.input.replaceChildren(...options.map((o) => h('option', { value: o.value }, o.label)));
	}

	setValues(obj) {
		for (const [name, v] of Object.entries(obj)) {
			const it = this.items.get(name);
			if (!it) continue;
			const { f, input } = it;
			if (f.type === 'checkboxes') for (const c of input.querySelectorAll('input')) c.checked = (v || []).includes(c.value);
			else if (f.type === 'radios') for (const c of input.querySelectorAll('input')) c.checked = c.value === v;
			else if (f.type === 'custom') f.control.set(v);
			else if (f.type === 'checkbox') input.checked = Boolean(v);
			else if (f.type !== 'file') input.value = v === null || v === undefined ? '' : v;
		}
	}

	/* What the form holds now is its unedited state: called after the
	   code fills it with a record (and after a control that fills itself
	   later has done so). */
	markClean() {
		this.saved = this.snapshot();
		this.edited = false;
	}

	/* rule: the message says the rule the field's help says (it stands in for the help) */
	setError(name, message, rule = false) {
		const it = this.items.get(name);
		if (!it) return false;
		it.item.classList.toggle('has-error', Boolean(message));
		it.item.classList.toggle('has-rule-error', Boolean(message) && rule);
		it.err.textContent = message || '';
		if (message) it.aria.setAttribute('aria-invalid', 'true');
		else it.aria.removeAttribute('aria-invalid');
		/* an error that says the rule hides the help (css): it is not
		   read twice either */
		const ids = it.aria.getAttribute('aria-describedby');
		if (it.helpId && ids) {
			const rest = ids.split(/\s+/).filter((x) => x !== it.helpId && x !== it.errId);
			it.aria.setAttribute('aria-describedby', [...rest, ...(message && rule ? [] : [it.helpId]), it.errId].join(' '));
		}
		return true;
	}

	clearErrors() {
		for (const name of this.items.keys()) this.setError(name, null);
		clear(this.alertSlot);
	}

	alert(kind, message, opts) {
		clear(this.alertSlot);
		if (message) this.alertSlot.appendChild(alertBox(kind, message, opts));
	}

	focus(name) {
		const it = name ? this.items.get(name) : this.items.values().next().value;
		if (!it) return;
		const target = ['checkboxes', 'radios'].includes(it.f.type) ? it.input.querySelector('input:checked') || it.input.querySelector('input') : it.f.type === 'custom' ? it.input.querySelector('select, input, textarea') : it.input;
		if (target) target.focus();
		/* the whole field with its message: focus alone may leave the
		   message under a drawer's footer */
		if (it.item.scrollIntoView) it.item.scrollIntoView({ block: 'center' });
	}

	/* Required fields, checked before a round trip; everything else is the server's call. */
	validate() {
		this.clearErrors();
		let first = null;
		const v = this.values();
		for (const [name, { f, input }] of this.items) {
			const val = v[name];
			const empty = val === '' || val === null || (Array.isArray(val) && val.length === 0);
			let msg = null;
			/* "abc" typed in a number reads as empty: that it is no number is said */
			const garbled = input && input.validity && input.validity.badInput;
			if (f.required && empty && !garbled) {
				const choose = ['select', 'checkboxes', 'radios', 'custom'].includes(f.type);
				msg = t(choose ? 'form.requiredChoice' : 'form.required', { label: f.label });
			} else msg = this.outOfBounds(f, input);
			if (msg) {
				this.setError(name, msg);
				if (!first) first = name;
			}
		}
		if (first) this.focus(first);
		return !first;
	}

	/* A number or date outside what its field takes (its min, max and
	   step), said before the server is asked — every such field at once,
	   where the server names only the first. The browser's own check of
	   the input says whether; the words are ours. */
	outOfBounds(f, input) {
		if (!input || !input.validity || input.validity.valid || !['number', 'date'].includes(f.type)) return null;
		const vs = input.validity;
		const date = f.type === 'date';
		if (vs.badInput) return t('form.notNumber', { label: f.label });
		if (vs.rangeUnderflow) return t(date ? 'form.dateMin' : 'form.min', { label: f.label, min: f.min });
		if (vs.rangeOverflow) return t(date ? 'form.dateMax' : 'form.max', { label: f.label, max: f.max });
		if (vs.stepMismatch) return t(String(f.step) === '1' ? 'form.whole' : 'form.step', { label: f.label, step: f.step });
		return null;
	}

	/* An ApiError: under its field when the form has that field, else on top. */
	showError(err) {
		const msg = err && err.message ? err.message : t('error.unknown');
		/* Under its field, the message need not name the API's field:
		   "户号（account_no）" reads "户号" there. */
		const here = err && err.field ? msg.replace(`\uFF08${err.field}\uFF09`, '').replace(` (${err.field})`, '') : msg;
		/* a message that ends with the rule broken (err.detail) stands in
		   for the field's help when that says the same (css: .has-rule-error);
		   a help about something else (a size limit) stays */
		const f = err && err.field ? this.fields.find((x) => x.name === err.field) : null;
		const rule = Boolean(err && err.detail && f && typeof f.help === 'string' && f.help.includes(err.detail));
		if (err && err.field && this.setError(err.field, here, rule)) {
			this.focus(err.field);
			return true;
		}
		this.alert('error', msg);
		return false;
	}
}

/* ---- filter bar ---- */

/*
 * filterBar(form, {onSearch, onReset}) — a row of filter inputs with
 * Search / Reset buttons (Ant "query filter").
 */
export function filterBar(form, { onSearch, onReset }) {
	form.el.classList.add('filter-form');
	form.el.addEventListener('submit', (e) => {
		e.preventDefault();
		onSearch();
	});
	/* On a phone only the first filter shows until "more filters" is pressed. */
	const extras = [...form.items.values()].slice(1).map((it) => it.item);
	extras.forEach((el) => el.classList.add('filter-extra'));
	const bar = h('div', { class: ['card', 'filter-bar', extras.length ? 'is-collapsed' : ''] }, form.el);
	const toggle = extras.length
		? button(t('filter.more'), {
				kind: 'link',
				cls: 'filter-toggle',
				testid: 'filter-toggle',
				onClick: () => {
					const collapsed = bar.classList.toggle('is-collapsed');
					toggle.querySelector('span').textContent = collapsed ? t('filter.more') : t('filter.less');
					toggle.setAttribute('aria-expanded', String(!collapsed));
				},
			})
		: null;
	if (toggle) toggle.setAttribute('aria-expanded', 'false');
	const actions = h(
		'div',
		{ class: 'filter-actions' },
		toggle,
		button(t('common.search'), { kind: 'primary', icon: 'search', type: 'submit', testid: 'filter-search' }),
		button(t('common.reset'), {
			testid: 'filter-reset',
			onClick: () => {
				form.el.reset();
				form.clearErrors();
				onReset();
			},
		}),
	);
	form.el.appendChild(actions);
	return bar;
}

/* ---- table ---- */

/* A table wider than its box scrolls sideways under its pinned actions
   column: while columns are hidden at the right, the box is marked
   (.is-clipped), and the column casts a shadow over what is under it. */
function markClipped(wrap) {
	const mark = () => wrap.classList.toggle('is-clipped', wrap.scrollWidth - wrap.clientWidth - wrap.scrollLeft > 1);
	wrap.addEventListener('scroll', mark, { passive: true });
	if (window.ResizeObserver) {
		/* the box, and the table in it (its width changes with its rows and the fonts) */
		const seen = new ResizeObserver(mark);
		seen.observe(wrap);
		seen.observe(wrap.querySelector('table'));
	} else requestAnimationFrame(mark);
}

/*
 * dataTable({columns, rows, sort, onSort, empty, rowKey, rowClass}) —
 * columns: [{key, title, render(row), sortKey, cls, nowrap}]. Each cell
 * carries its column title in data-label, so the phone layout can show
 * rows as cards (css: .table-cards).
 */
export function dataTable({ columns, rows, sort, onSort, empty, rowKey = 'id', rowClass, cards = true, testid, caption }) {
	const head = h(
		'tr',
		null,
		columns.map((c) => {
			if (!c.sortKey || !onSort) return h('th', { class: c.cls, scope: 'col' }, c.title);
			const active = sort && sort.key === c.sortKey;
			const dir = active ? sort.order : null;
			const next = active && dir === 'asc' ? 'desc' : 'asc';
			return h(
				'th',
				{ class: [c.cls, 'sortable', active ? 'is-sorted' : ''], scope: 'col', 'aria-sort': active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none' },
				h(
					'button',
					{ type: 'button', class: 'th-sort', 'data-sort-key': c.sortKey, onclick: () => onSort({ key: c.sortKey, order: next }) },
					h('span', null, c.title),
					h('span', { class: ['sort-arrows', dir ? `is-${dir}` : ''], 'aria-hidden': 'true' }, h('i', { class: 'up' }), h('i', { class: 'down' })),
				),
			);
		}),
	);
	const body = rows.length
		? rows.map((row) =>
				h(
					'tr',
					{ 'data-key': row[rowKey], class: rowClass ? rowClass(row) : null },
					columns.map((c) => {
						const v = c.render ? c.render(row) : row[c.key];
						return h('td', { class: [c.cls, c.nowrap ? 'nowrap' : ''], 'data-label': c.title }, v === '' || v === null || v === undefined ? t('common.none') : v);
					}),
				),
			)
		: h('tr', { class: 'empty-row' }, h('td', { colspan: columns.length }, emptyState(empty)));
	const table = h('div', { class: ['table-wrap', cards ? 'table-cards' : ''], 'data-testid': testid }, h('table', { class: 'table' }, caption ? h('caption', { class: 'sr-only' }, caption) : null, h('thead', null, head), h('tbody', null, body)));
	markClipped(table);
	const sortable = onSort && cards ? columns.filter((c) => c.sortKey) : [];
	if (!sortable.length) return table;
	/* Cards have no column heads to tap: a phone sorts with this (css
	   shows it only with the cards). */
	const choices = sortable.flatMap((c) => ['asc', 'desc'].map((o) => ({ value: `${c.sortKey}:${o}`, label: t(`table.sort.${o}`, { column: c.title }) })));
	/* '' is the list's own order (users by id: no column shows it) */
	const current = sort && choices.some((c) => c.value === `${sort.key}:${sort.order}`) ? `${sort.key}:${sort.order}` : '';
	const select = h(
		'select',
		{
			class: 'select',
			'aria-label': t('table.sortBy'),
			'data-testid': testid ? `${testid}-sort` : null,
			onchange: (e) => {
				const [key, order] = e.target.value.split(':');
				onSort(key ? { key, order } : null);
			},
		},
		h('option', { value: '' }, t('table.sortDefault')),
		choices.map((c) => h('option', { value: c.value }, c.label)),
	);
	select.value = current;
	return h('div', { class: 'table-box' }, h('label', { class: 'card-sort' }, h('span', null, t('table.sortBy')), select), table);
}

/* ---- pager ---- */

export const PAGE_SIZES = [10, 20, 50, 100];

/* totalExact false: the server stopped counting at `total` ("1,000+"). */
export function pager({ total, limit, offset, onChange, totalExact = true }) {
	const pages = Math.max(1, Math.ceil(total / limit));
	const page = Math.floor(offset / limit) + 1;
	const size = h(
		'select',
		{ class: 'select select-sm', 'aria-label': t('pager.size'), onchange: (e) => onChange(0, Number(e.target.value)) },
		PAGE_SIZES.map((n) => h('option', { value: n, selected: n === limit }, t('pager.perPage', { n }))),
	);
	return h(
		'nav',
		{ class: 'pager', 'aria-label': t('pager.label') },
		h('span', { class: 'pager-total', 'data-testid': 'pager-total' }, totalExact ? t('pager.total', { n: total }) : t('pager.totalAtLeast', { n: total })),
		button('', { icon: 'left', size: 'sm', title: t('pager.prev'), disabled: page <= 1, onClick: () => onChange(offset - limit, limit), testid: 'pager-prev' }),
		h('span', { class: 'pager-page' }, t('pager.page', { page, pages })),
		button('', { icon: 'right', size: 'sm', title: t('pager.next'), disabled: page >= pages, onClick: () => onChange(offset + limit, limit), testid: 'pager-next' }),
		size,
	);
}

/* ---- dropdown menu ---- */

export function dropdown(trigger, items, { align = 'right' } = {}) {
	const menu = h('div', { class: `dropdown-menu align-${align}`, role: 'menu', hidden: true });
	for (const it of items) {
		if (!it) continue;
		if (it === '-') {
			menu.appendChild(h('div', { class: 'dropdown-divider', role: 'separator' }));
			continue;
		}
		menu.appendChild(
			h(
				'button',
				{
					type: 'button',
					class: ['dropdown-item', it.danger ? 'is-danger' : ''],
					role: 'menuitem',
					'data-testid': it.testid,
					onclick: () => {
						hide();
						it.onClick();
					},
				},
				it.icon ? icon(it.icon) : null,
				h('span', null, it.label),
			),
		);
	}
	const wrap = h('div', { class: 'dropdown' }, trigger, menu);
	trigger.setAttribute('aria-haspopup', 'menu');
	const { hide } = popover(wrap, trigger, menu, {
		onShow: () => {
			const first = menu.querySelector('button');
			if (first) first.focus();
		},
	});
	/* a menu's keys: the arrows, Home and End move between its items; Tab
	   out of it closes it, no menu left open behind the focus. (Not on
	   focusout: in WebKit a pressed button takes no focus, and the menu
	   would close on the press, before its item's click.) */
	menu.addEventListener('keydown', (e) => {
		if (e.key === 'Tab') {
			setTimeout(() => {
				if (!menu.hidden && !wrap.contains(document.activeElement)) hide();
			}, 0);
			return;
		}
		const items = [...menu.querySelectorAll('[role=menuitem]:not([disabled])')];
		const i = items.indexOf(document.activeElement);
		const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[e.key];
		if (to === undefined || !items.length) return;
		e.preventDefault();
		items[(to + items.length) % items.length].focus();
	});
	return wrap;
}

/*
 * popover(wrap, trigger, panel, {onShow, onHide}) — panel (inside wrap)
 * opened and closed by trigger; a click outside wrap or Escape closes it
 * (Escape gives the trigger its focus back). onShow and onHide run after
 * each; the caller adds its own listeners there. Returns {show, hide}.
 */
export function popover(wrap, trigger, panel, { onShow, onHide } = {}) {
	trigger.setAttribute('aria-expanded', 'false');
	const onDoc = (e) => {
		if (!wrap.contains(e.target)) hide();
	};
	const onKey = (e) => {
		if (e.key === 'Escape') {
			e.stopPropagation();
			hide();
			trigger.focus();
		}
	};
	function show() {
		panel.hidden = false;
		trigger.setAttribute('aria-expanded', 'true');
		document.addEventListener('click', onDoc, true);
		wrap.addEventListener('keydown', onKey);
		if (onShow) onShow();
	}
	function hide() {
		panel.hidden = true;
		trigger.setAttribute('aria-expanded', 'false');
		document.removeEventListener('click', onDoc, true);
		wrap.removeEventListener('keydown', onKey);
		if (onHide) onHide();
	}
	trigger.addEventListener('click', () => (panel.hidden ? show() : hide()));
	return { show, hide };
}

/* ---- files ---- */

/* Hands a Blob to the browser as a download named `filename`. */
export function saveBlob(blob, filename) {
	const url = URL.createObjectURL(blob);
	const a = h('a', { href: url, download: filename, class: 'sr-only' });
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/* Text (a CSV) as a download, with a UTF-8 byte-order mark so Excel reads it as UTF-8. */
export function saveText(text, filename, type = 'text/csv;charset=utf-8') {
	const body = text.startsWith('\ufeff') ? text : `\ufeff${text}`;
	saveBlob(new Blob([body], { type }), filename);
}

/* ---- JSON value display ---- */

export function codeBlock(text) {
	return h('pre', { class: 'code' }, text);
}
