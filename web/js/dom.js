/*
 * dom.js — building the DOM without innerHTML.
 *
 *   h('button', {class: 'btn', onclick: fn, type: 'button'}, t('common.save'))
 *
 * Children may be strings (always inserted as text, never parsed as HTML),
 * nodes, arrays, or null/false (skipped). Server data therefore can never
 * become markup.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

export function h(tag, props, ...children) {
	const el = document.createElement(tag);
	if (props) setProps(el, props);
	append(el, children);
	return el;
}

export function setProps(el, props) {
	for (const [k, v] of Object.entries(props)) {
		if (v === undefined || v === null || v === false) continue;
		if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
		else if (k === 'text') el.textContent = v;
		else if (k === 'dataset') Object.assign(el.dataset, v);
		else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
		else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected' || k === 'multiple' || k === 'hidden')
			el[k] = v;
		else if (k === 'htmlFor') el.htmlFor = v;
		else el.setAttribute(k, v === true ? '' : String(v));
	}
}

export function append(el, children) {
	for (const c of children) {
		if (c === null || c === undefined || c === false || c === true) continue;
		if (Array.isArray(c)) append(el, c);
		else if (c instanceof Node) el.appendChild(c);
		else el.appendChild(document.createTextNode(String(c)));
	}
	return el;
}

export function clear(el) {
	el.replaceChildren();
	return el;
}

/* replaceChildren that, like h(), skips null/false children instead of printing them. */
export function setChildren(el, ...children) {
	return append(clear(el), children);
}

let uid = 0;
export function nextId(prefix = 'id') {
	uid += 1;
	return `${prefix}-${uid}`;
}

/* Icons: 24×24 outline paths, drawn with createElementNS (no markup). */
const ICONS = {
	home: 'M3 11l9-8 9 8M5 9.5V21h5v-6h4v6h5V9.5',
	users: 'M9 11a4 4 0 100-8 4 4 0 000 8zM1.5 21c0-4 3.4-6.5 7.5-6.5s7.5 2.5 7.5 6.5M16 3.5a4 4 0 010 7.5M18.5 14.8c2.4.8 4 2.9 4 6.2',
	shield: 'M12 2l8 3.5v6c0 5-3.4 9.2-8 10.5-4.6-1.3-8-5.5-8-10.5v-6L12 2zM8.5 12l2.5 2.5 4.5-5',
	audit: 'M7 3h10l4 4v14H3V3h4M7 3v4h10V3M7 12h10M7 16h7',
	calendar: 'M3 5h18v16H3zM3 10h18M8 3v4M16 3v4M7 14h2M11 14h2M15 14h2M7 17.5h2M11 17.5h2',
	jobs: 'M12 8v4l3 2M21 12a9 9 0 11-3-6.7M21 3v5h-5',
	org: 'M3 21h18M5 21V7l7-4 7 4v14M9 10h2M13 10h2M9 14h2M13 14h2M10 21v-3h4v3',
	key: 'M14.5 3a6.5 6.5 0 00-6.2 8.5L2 17.8V22h4.2v-2.5h2.5V17h2.4l1.4-1.4A6.5 6.5 0 1014.5 3zM16.5 7.5h.01',
	logout: 'M15 4h4a1 1 0 011 1v14a1 1 0 01-1 1h-4M10 17l5-5-5-5M15 12H3',
	menu: 'M3 6h18M3 12h18M3 18h18',
	close: 'M6 6l12 12M18 6L6 18',
	plus: 'M12 5v14M5 12h14',
	search: 'M11 18a7 7 0 100-14 7 7 0 000 14zM21 21l-5-5',
	refresh: 'M20 11a8 8 0 10-2.3 5.7M20 4v7h-7',
	left: 'M15 18l-6-6 6-6',
	right: 'M9 6l6 6-6 6',
	down: 'M6 9l6 6 6-6',
	globe: 'M12 21a9 9 0 100-18 9 9 0 000 18zM3 12h18M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3z',
	user: 'M12 12a5 5 0 100-10 5 5 0 000 10zM3 22c0-5 4-8 9-8s9 3 9 8',
	check: 'M4 12.5l5 5L20 6.5',
	warn: 'M12 3l10 18H2L12 3zM12 10v5M12 18h.01',
	info: 'M12 22a10 10 0 100-20 10 10 0 000 20zM12 11v6M12 7.5h.01',
	error: 'M12 22a10 10 0 100-20 10 10 0 000 20zM15 9l-6 6M9 9l6 6',
	clock: 'M12 22a10 10 0 100-20 10 10 0 000 20zM12 6v6l4 2',
	upload: 'M12 16V4M7 9l5-5 5 5M4 17v3h16v-3',
	edit: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
	lock: 'M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 017 0V11',
	unlock: 'M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 016.8-1.2',
	eye: 'M1.5 12S5.5 5 12 5s10.5 7 10.5 7-4 7-10.5 7S1.5 12 1.5 12zM12 15a3 3 0 100-6 3 3 0 000 6z',
	building: 'M4 21V3h10v18M14 9h6v12M2 21h20M7.5 7h3M7.5 11h3M7.5 15h3M17 13h.01M17 17h.01',
	household: 'M3 10.5L12 3l9 7.5M5 9v12h14V9M12 14a2 2 0 100-4 2 2 0 000 4zM8.5 19c.5-2 1.8-3 3.5-3s3 1 3.5 3',
	badge: 'M4 5h16v15H4zM9 3v4h6V3M12 13a2.5 2.5 0 100-5 2.5 2.5 0 000 5zM7.5 17.5c.7-1.8 2.4-2.8 4.5-2.8s3.8 1 4.5 2.8',
	download: 'M12 4v12M7 11l5 5 5-5M4 17v3h16v-3',
	file: 'M6 2h9l5 5v15H6zM14 2v6h6M9 13h8M9 17h5',
	bell: 'M6 10a6 6 0 0112 0c0 5.5 2.5 7 2.5 7h-17S6 15.5 6 10zM10 20.5a2.2 2.2 0 004 0',
	cert: 'M3 4h18v12h-5M8 16H3V4M7 8h10M7 11.5h5M15 13a3 3 0 110 6 3 3 0 010-6zM13.5 18.5L13 22l2-1 2 1-.5-3.5',
	clipboard: 'M9 2.5h6v3H9zM7 4H4.5v17.5h15V4H17M8.5 13l2.5 2.5 4.5-5',
	sliders: 'M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1M15 4v4M9 10v4M17 16v4',
	print: 'M6 9V3h12v6M6 18H3v-9h18v9h-3M6 14h12v7H6z',
	team: 'M12 10a3.5 3.5 0 100-7 3.5 3.5 0 000 7zM5.5 21c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6M5 11a2.5 2.5 0 110-5M19 11a2.5 2.5 0 100-5M1.5 18c0-2.3 1.4-3.8 3.3-4.4M22.5 18c0-2.3-1.4-3.8-3.3-4.4',
};

export function icon(name, cls = '') {
	const svg = document.createElementNS(SVG_NS, 'svg');
	svg.setAttribute('viewBox', '0 0 24 24');
	svg.setAttribute('aria-hidden', 'true');
	svg.setAttribute('focusable', 'false');
	svg.setAttribute('class', `icon ${cls}`.trim());
	const path = document.createElementNS(SVG_NS, 'path');
	path.setAttribute('d', ICONS[name] || ICONS.info);
	svg.appendChild(path);
	return svg;
}
