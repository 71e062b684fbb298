/*
 * badge.js — the public badge check at the customer's door (SPEC S5, V3).
 *
 * The badge's QR code opens /badge.html#TOKEN (an appointment link
 * /badge.html#TOKEN&a=APPOINTMENT). The token stays in the fragment, which
 * the browser never sends; this script sends it only in the query of
 * GET /api/v1/public/badge (and of its photo), and asks nothing
 * else of anyone. The page shows what that answer says — who the worker
 * is, whether the badge is valid right now, and, when the customer asks
 * with a door number or came by an appointment link, whether the worker
 * is expected there today — and nothing more. It stores nothing: no
 * cookie is sent or set, no storage is touched, the language choice lasts
 * as long as the page.
 *
 * Every text goes in with textContent (never innerHTML); the texts are in
 * ../badge-i18n.js, Chinese by default and English when the phone's
 * language is English or the toggle asks for it.
 */
import catalogues from '../badge-i18n.js';

const API = '/api/v1/public/badge';
const CODE = /^[A-Za-z0-9_-]{22}$/; /* a badge's or an appointment's token */

const el = (id) => document.querySelector(`[data-testid="${id}"]`);
const ui = {
	lang: el('badge-lang'),
	state: el('badge-state'),
	stateTitle: el('badge-state-title'),
	stateNote: el('badge-state-note'),
	checkedAt: el('badge-checked-at'),
	card: el('badge-card'),
	photo: el('badge-photo'),
	photoNone: el('badge-photo-none'),
	name: el('badge-name'),
	employer: el('badge-employer'),
	organisation: el('badge-organisation'),
	badgeNo: el('badge-no'),
	level: el('badge-level'),
	jobs: el('badge-jobs'),
	door: el('badge-door'),
	doorForm: el('badge-door-form'),
	doorInput: el('badge-door-input'),
	doorSubmit: el('badge-door-submit'),
	doorResult: el('badge-door-result'),
	doorAnswer: el('badge-door-answer'),
	doorNote: el('badge-door-note'),
	recheck: el('badge-recheck'),
};

let lang = /^en\b/i.test(navigator.language || '') ? 'en' : 'zh-CN';

function msg(key, params) {
	let s = catalogues[lang][key] ?? catalogues['zh-CN'][key] ?? key;
	for (const [k, v] of Object.entries(params || {})) s = s.replace(`{${k}}`, v);
	return s;
}

/* ---- what the page shows; render() draws all of it ---- */

let token = '';
let appointment = ''; /* from the link, when well formed */
let appointmentBad = false; /* the link carried a garbled one */
/* loading | valid | invalid | unknown (no such badge) | rate | network | server */
let state = 'loading';
let data = null; /* the last answer */
/* the door question: null, or { kind: empty | asking | answer | error | rate | network | server,
 * by: door | appointment, expected, match: number | full | link, message } */
let door = null;
let asked = {}; /* what the last answer was asked with: "check again" asks it again */
let inFlight = null; /* { params, mode } of the question on its way */
let seq = 0; /* only the newest question's answer counts */

const SERVER_SAYS = { rate: 'rateLimited', doorLimit: 'doorLimit', network: 'network', server: 'serverError' };

/* "2026-11-24T09:05:00+08:00" → "2026-11-24 09:05:00": the organisation's time, as the server gives it. */
function when(s) {
	const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d(?::\d\d)?)/.exec(String(s || ''));
	return m ? `${m[1]} ${m[2]}` : String(s || '');
}

const str = (v) => (v === null || v === undefined || v === '' ? msg('none') : String(v));

/* toggleAttribute, not .hidden: the placeholder is an SVG element, which has no hidden property */
function show(node, on) {
	node.toggleAttribute('hidden', !on);
}

function render() {
	document.documentElement.lang = lang;
	document.title = msg('pageTitle');
	for (const node of document.querySelectorAll('[data-t]')) node.textContent = msg(node.dataset.t);
	ui.lang.textContent = msg('langSwitch');
	ui.lang.setAttribute('aria-label', msg('langSwitchLabel'));
	ui.lang.lang = lang === 'en' ? 'zh-CN' : 'en';
	show(ui.lang, true);

	/* the verdict */
	const tone = { valid: 'valid', invalid: 'invalid', unknown: 'invalid', loading: 'loading' }[state] || 'warn';
	ui.state.className = `state state-${tone}`;
	ui.state.dataset.state = state;
	ui.stateTitle.textContent = msg({ valid: 'valid', invalid: 'invalid', unknown: 'unknown', loading: 'checking' }[state] || 'cannotCheck');
	/* no photo to compare: the name is checked against an ID card instead */
	const validNote = data && data.photo !== true ? 'validNoPhotoNote' : 'validNote';
	const note = { valid: validNote, invalid: 'invalidNote', unknown: 'unknownNote', ...SERVER_SAYS }[state];
	ui.stateNote.textContent = note ? msg(note) : '';
	show(ui.stateNote, !!note);
	const answered = !!data && (state === 'valid' || state === 'invalid');
	ui.checkedAt.textContent = answered ? msg('checkedAt', { time: when(data.checked_at) }) : '';
	show(ui.checkedAt, answered);

	/* who the worker is */
	show(ui.card, answered);
	ui.card.classList.toggle('card-void', state === 'invalid');
	if (answered) {
		ui.name.textContent = str(data.name);
		ui.employer.textContent = str(data.employer);
		ui.organisation.textContent = str(data.organisation);
		ui.badgeNo.textContent = str(data.badge_no);
		ui.level.textContent = str(data.level);
		const jobs = Array.isArray(data.job_types) ? data.job_types.map(String) : [];
		ui.jobs.textContent = jobs.length ? jobs.join(msg('listSep')) : msg('none');
		ui.photo.alt = msg('photo');
		ui.photoNone.setAttribute('aria-label', msg('noPhoto'));
		photo(data.photo === true);
	}

	/* is the worker expected at this door today: only a valid badge can be */
	show(ui.door, answered && state === 'valid');
	renderDoor();

	show(ui.recheck, !!token && state !== 'loading' && state !== 'unknown');
	ui.recheck.disabled = !!inFlight;
	ui.doorSubmit.disabled = !!inFlight;
}

function renderDoor() {
	let answer = '';
	let note = '';
	let tone = '';
	if (door && door.kind === 'answer' && door.expected && door.match !== 'full' && door.match !== 'link') {
		/* a door with this number is expected — every building has one; "your home" only when it is named */
		answer = msg('expectedNumber');
		tone = 'warn';
		note = msg('expectedNumberNote');
	} else if (door && door.kind === 'answer') {
		answer = (door.by === 'appointment' ? `${msg('appointmentFrom')} ` : '') + msg(door.expected ? 'expectedYes' : 'expectedNo');
		tone = door.expected ? 'yes' : 'no';
		if (!door.expected) note = msg('expectedNoNote');
	} else if (door && door.kind === 'asking') {
		answer = msg('doorAsking');
		tone = 'asking';
	} else if (door && door.kind === 'empty') {
		answer = msg('doorEmpty');
		tone = 'warn';
	} else if (door && door.kind === 'error') {
		answer = door.message || msg('serverError');
		tone = 'warn';
	} else if (door && SERVER_SAYS[door.kind]) {
		answer = msg(SERVER_SAYS[door.kind]);
		tone = 'warn';
	} else if (appointmentBad) {
		answer = msg('appointmentBad');
		tone = 'warn';
	}
	ui.doorResult.className = `door-result${tone ? ` door-${tone}` : ''}`;
	ui.doorResult.dataset.expected = door && door.kind === 'answer' ? String(!!door.expected) : '';
	ui.doorResult.dataset.match = door && door.kind === 'answer' ? door.match : '';
	ui.doorAnswer.textContent = answer;
	ui.doorNote.textContent = note;
	show(ui.doorNote, !!note);
	show(ui.doorResult, !!answer);
}

/* The photo comes from the API only when the answer says there is one,
 * fetched like the check itself (no cookie, no referrer) and shown from
 * memory; until it has come (or when it cannot) the neutral placeholder
 * shows. */
let photoFor = ''; /* the token whose photo is shown or on its way */
let photoUrl = ''; /* its blob: address */
let photoSeq = 0; /* only the newest fetch's photo is shown */

function photoReset() {
	photoSeq++;
	photoFor = '';
	show(ui.photo, false);
	show(ui.photoNone, true);
	ui.photo.removeAttribute('src');
	if (photoUrl) URL.revokeObjectURL(photoUrl);
	photoUrl = '';
}

async function photo(has) {
	if (!has) {
		if (photoFor) photoReset();
		return;
	}
	if (photoFor === token) return;
	photoReset();
	photoFor = token;
	const mine = photoSeq;
	let blob = null;
	try {
		const res = await fetch(`${API}/photo?${new URLSearchParams({ token })}`, {
			credentials: 'omit',
			cache: 'no-store',
			referrerPolicy: 'no-referrer',
		});
		if (res.ok && /^image\/(png|jpeg)\b/.test(res.headers.get('Content-Type') || '')) blob = await res.blob();
	} catch {
		/* no photo: the placeholder stays */
	}
	if (photoSeq !== mine || !blob) return;
	photoUrl = URL.createObjectURL(blob);
	ui.photo.src = photoUrl;
}
ui.photo.addEventListener('load', () => {
	if (!photoUrl) return;
	show(ui.photo, true);
	show(ui.photoNone, false);
});
ui.photo.addEventListener('error', () => {
	show(ui.photo, false);
	show(ui.photoNone, true);
});

/* ---- asking the server ---- */

/* One question: → { kind: ok, data } | { kind: door, message } (a door
 * number the server refuses) | unknown | rate | doorLimit | network | server. */
async function request(params) {
	const q = new URLSearchParams({ token, ...params });
	let res;
	try {
		res = await fetch(`${API}?${q}`, {
			headers: { Accept: 'application/json', 'Accept-Language': lang === 'en' ? 'en' : 'zh-CN' },
			credentials: 'omit',
			cache: 'no-store',
			referrerPolicy: 'no-referrer',
		});
	} catch {
		return { kind: 'network' };
	}
	let body = null;
	try {
		body = await res.json();
	} catch {
		/* not JSON: a proxy's page */
	}
	if (res.ok && body && typeof body.valid === 'boolean') return { kind: 'ok', data: body };
	const err = (body && body.error) || {};
	/* this badge asked about too many doors today (from anywhere): the door cannot be checked, the badge still can */
	if (res.status === 429 && err.field === 'door') return { kind: 'doorLimit' };
	if (res.status === 429) return { kind: 'rate' };
	if (res.status === 400 && err.field === 'door') return { kind: 'door', message: typeof err.message === 'string' ? err.message : '' };
	/* a garbled token (400) and one nobody issued (404) are the same to the customer: not a badge */
	if (res.status === 400 || res.status === 404) return { kind: 'unknown' };
	return { kind: 'server' };
}

/* mode: 'page' (the verdict shows "checking" meanwhile), 'door' (only the
 * door answer does) or 'quiet' (a language switch: on failure the page
 * keeps what it shows). */
async function check(params, mode = 'page') {
	const my = ++seq;
	inFlight = { params, mode };
	if (mode === 'page') {
		state = 'loading';
		data = null;
	}
	if (mode === 'door') door = { kind: 'asking' };
	render();
	const r = await request(params);
	if (my !== seq) return;
	inFlight = null;
	if (r.kind === 'ok') {
		data = r.data;
		state = data.valid ? 'valid' : 'invalid';
		asked = params;
		const by = params.door ? 'door' : params.appointment ? 'appointment' : '';
		if (by) door = { kind: 'answer', by, expected: data.expected === true, match: data.door_match || '' };
		else if (mode === 'page') door = null;
	} else if (r.kind === 'door') {
		door = { kind: 'error', message: r.message };
	} else if (r.kind === 'unknown') {
		state = 'unknown';
		data = null;
		door = null;
	} else if (r.kind === 'doorLimit' && mode !== 'door') {
		/* the badge itself still answers: asked again without the door */
		await check({}, mode);
		if (seq === my + 1) {
			door = { kind: 'doorLimit' };
			render();
		}
		return;
	} else if (mode === 'door') {
		door = { kind: r.kind };
	} else if (mode === 'page') {
		state = r.kind;
		data = null;
		door = null;
	}
	render();
}

/* The door number as people type it: full-width digits and letters made
 * ASCII, no spaces, no trailing 室 or 号 after the number. */
function cleanDoor(s) {
	return s
		.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
		.replace(/[\s\u3000]+/g, '')
		.replace(/(\d)[\u5BA4\u53F7]$/, '$1');
}

ui.doorForm.addEventListener('submit', (e) => {
	e.preventDefault();
	if (inFlight) return;
	const value = cleanDoor(ui.doorInput.value);
	if (!value) {
		door = { kind: 'empty' };
		render();
		ui.doorInput.focus();
		return;
	}
	check({ door: value }, 'door');
});

ui.recheck.addEventListener('click', () => {
	if (!inFlight) check(asked, 'page');
});

ui.lang.addEventListener('click', () => {
	lang = lang === 'en' ? 'zh-CN' : 'en';
	render();
	/* level and job types come from the server in the asked language */
	if (inFlight) check(inFlight.params, inFlight.mode);
	else if (data) check(asked, 'quiet');
});

/* ---- the link ---- */

function decode(s) {
	try {
		return decodeURIComponent(s).trim();
	} catch {
		return '';
	}
}

function start() {
	const parts = location.hash.replace(/^#/, '').split('&');
	token = decode(parts[0] || '');
	if (token.includes('=')) token = '';
	let appt = null;
	for (const part of parts.slice(1)) if (part.startsWith('a=')) appt = decode(part.slice(2));
	appointment = appt && CODE.test(appt) ? appt : '';
	appointmentBad = appt !== null && !appointment;
	data = null;
	door = null;
	asked = appointment ? { appointment } : {};
	photoReset();
	ui.doorInput.value = '';
	if (!token) {
		/* nothing to ask about: not a badge */
		seq++;
		inFlight = null;
		state = 'unknown';
		render();
		return;
	}
	check(asked, 'page');
}

/* a second badge scanned into the same tab changes only the fragment */
window.addEventListener('hashchange', start);
start();
