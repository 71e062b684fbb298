/*
 * picker.js — choosing one record by typing part of it (a worker by name
 * or staff number, a household by name, phone, address or account
 * number): an ARIA combobox over a list route's search. Arrow keys move
 * through the matches, Enter takes one, Escape closes the list; a click
 * or tap works as well. The value is the chosen record's id ('' while
 * nothing is chosen: typing again forgets the choice).
 *
 *   const p = searchPicker({search: async (q) => [{id, label, sub}], testid});
 *   p.el, p.get(), p.set(id, label), p.chosen (the option taken), onChange
 *
 * Used as a Form field with {type: 'custom', control: p}.
 */
import { h, nextId } from './dom.js';
import { t } from './i18n.js';

export function searchPicker({ search, placeholder, testid, minChars = 1, onChange, label } = {}) {
	const listId = nextId('picker-list');
	const input = h('input', {
		type: 'text',
		class: 'input',
		role: 'combobox',
		autocomplete: 'off',
		'aria-autocomplete': 'list',
		'aria-expanded': 'false',
		'aria-controls': listId,
		'aria-label': label || null,
		placeholder: placeholder || t('picker.placeholder'),
		'data-testid': testid ? `${testid}-input` : null,
	});
	const list = h('ul', { class: 'picker-list', id: listId, role: 'listbox', hidden: true, 'data-testid': testid ? `${testid}-options` : null });
	const status = h('div', { class: 'sr-only', 'aria-live': 'polite' });
	const el = h('div', { class: 'picker', 'data-testid': testid }, input, list, status);
	let value = '';
	let options = [];
	let active = -1;
	let seq = 0;
	let timer = null;
	const ctl = { el, chosen: null };

	function close() {
		list.hidden = true;
		input.setAttribute('aria-expanded', 'false');
		input.removeAttribute('aria-activedescendant');
		active = -1;
	}

	function highlight(i) {
		active = i;
		[...list.children].forEach((li, j) => {
			li.classList.toggle('is-active', j === i);
			li.setAttribute('aria-selected', String(j === i));
		});
		const li = list.children[i];
		if (li && li.id) {
			input.setAttribute('aria-activedescendant', li.id);
			li.scrollIntoView({ block: 'nearest' });
		} else input.removeAttribute('aria-activedescendant');
	}

	function show(items, note) {
		options = items;
		list.replaceChildren();
		if (note) list.appendChild(h('li', { class: 'picker-note', role: 'presentation' }, note));
		items.forEach((o) => {
			const li = h(
				'li',
				{ id: nextId('picker-opt'), role: 'option', class: 'picker-option', 'aria-selected': 'false', 'data-value': String(o.id) },
				h('span', { class: 'picker-label' }, o.label),
				o.sub ? h('span', { class: 'picker-sub' }, o.sub) : null,
			);
			/* mousedown, not click: the input keeps the focus, so blur does not close the list first */
			li.addEventListener('mousedown', (e) => {
				e.preventDefault();
				choose(o);
			});
			list.appendChild(li);
		});
		list.hidden = false;
		input.setAttribute('aria-expanded', 'true');
		active = -1;
		status.textContent = items.length ? t('picker.found', { n: items.length }) : t('picker.none');
	}

	function choose(o) {
		value = o ? o.id : '';
		ctl.chosen = o || null;
		input.value = o ? o.label : '';
		close();
		el.dispatchEvent(new Event('change', { bubbles: true }));
		if (onChange) onChange(o || null);
	}

	async function run(q) {
		const my = ++seq;
		if (q.length < minChars) {
			close();
			return;
		}
		try {
			const items = await search(q);
			if (my !== seq || document.activeElement !== input) return;
			show(items, items.length ? null : t('picker.none'));
		} catch (err) {
			if (my === seq) show([], err.message);
		}
	}

	input.addEventListener('input', () => {
		if (value !== '') {
			value = '';
			ctl.chosen = null;
			if (onChange) onChange(null);
		}
		clearTimeout(timer);
		const q = input.value.trim();
		timer = setTimeout(() => run(q), 250);
	});
	input.addEventListener('keydown', (e) => {
		const open = !list.hidden && options.length > 0;
		if (e.key === 'ArrowDown') {
			e.preventDefault();
			if (!open) run(input.value.trim());
			else highlight(Math.min(options.length - 1, active + 1));
		} else if (e.key === 'ArrowUp' && open) {
			e.preventDefault();
			highlight(Math.max(0, active - 1));
		} else if (e.key === 'Enter' && open) {
			/* taking a match must not submit the form around it */
			e.preventDefault();
			choose(options[active >= 0 ? active : 0]);
		} else if (e.key === 'Escape' && !list.hidden) {
			/* only the list closes, not the drawer around it */
			e.preventDefault();
			e.stopPropagation();
			close();
		}
	});
	input.addEventListener('blur', () => setTimeout(close, 150));

	ctl.get = () => value;
	/* Shows a record as chosen (label: how to show it); '' clears. */
	ctl.set = (id, text, option) => {
		value = id ? Number(id) : '';
		ctl.chosen = id ? option || { id: Number(id), label: text || `#${id}` } : null;
		input.value = id ? text || `#${id}` : '';
		close();
	};
	ctl.focus = () => input.focus();
	return ctl;
}
