/*
 * badge.test.mjs — browser tests of the public badge check page
 * (web/badge.html, SPEC S5 and V3) against a running server with the demo
 * data (see run.sh, which starts one on a fresh database and runs this
 * after ui.test.mjs).
 *
 *   node tests/browser/badge.test.mjs http://127.0.0.1:PORT
 *
 * Drives the system Chromium through playwright-core, as ui.test.mjs does:
 * each case is named with the SPEC rule it proves and counted, the last
 * line of output is "N passed, N failed", RUHU_ONLY='regex' runs only the
 * matching cases, screenshots go to tests/out/screenshots/ (RUHU_SHOTS).
 * Test data is found through the API as gas.manager (the demo makes
 * today's assignments); the cases that change data (a photo, a
 * suspension) change workers of their own.
 *
 * Any console error, uncaught page error, failed request or server error
 * during a case fails it; tolerated are Chromium's "Failed to load
 * resource" for an /api/ call answered 4xx on purpose (an unknown badge, a
 * rate limit) and, in the one case that cuts the network on purpose, the
 * failed request itself.
 *
 * The browser asks the public check some fifty times from one address in
 * a few seconds, more than the default limit (120 a minute, bursts of 30)
 * allows: run.sh starts the server with RUHU_PUBLIC_RATE=1200 and
 * RUHU_PUBLIC_BURST=300; a server of your own needs the same.
 *
 * The rate-limit case goes last and floods the public check from a second
 * loopback address (127.0.0.2) when the server is on 127.0.0.1: the
 * limiter counts per client address, so the browser's own address
 * (127.0.0.1) keeps its allowance and nothing else is disturbed.
 */
import { request as pwRequest } from 'playwright-core';
import { startHarness, assert, equal } from './harness.mjs';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import http from 'node:http';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const BASE = (process.argv[2] || process.env.RUHU_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const SHOTS = process.env.RUHU_SHOTS || join(root, 'tests/out/screenshots');
const PASSWORD = 'Ruhu@2026';
const TIMEOUT = 8000;
mkdirSync(SHOTS, { recursive: true });

/* ---- harness (harness.mjs) ---- */

const { browser, test, watch, finish, bail, tolerate } = await startHarness({ shots: SHOTS, failPrefix: 'FAIL-badge', closeContexts: true });

/* A customer's phone: 360×640, touch, Chinese unless told otherwise. */
async function phone(opts = {}) {
	const ctx = await browser.newContext({
		viewport: { width: 360, height: 640 },
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		...opts,
	});
	ctx.setDefaultTimeout(TIMEOUT);
	ctx.on('page', watch);
	return ctx;
}

async function shot(page, name) {
	await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const text = (page, id) => page.locator(`[data-testid=${id}]`).innerText().then((s) => s.trim());
const stateOf = (page) => page.getAttribute('[data-testid=badge-state]', 'data-state');

/* Opens the page for a link's fragment and waits for the verdict. (From
 * a blank page: a second badge.html#… would only change the fragment, and
 * the verdict of the first would still be on screen.) */
async function openBadge(page, fragment, state) {
	if (page.url() !== 'about:blank') await page.goto('about:blank');
	await page.goto(`${BASE}/badge.html${fragment === null ? '' : `#${fragment}`}`);
	await page.waitForSelector(`[data-testid=badge-state][data-state="${state}"]`);
}

/* Asks the door question on the page and waits for its answer. */
async function askDoor(page, value) {
	await page.fill('[data-testid=badge-door-input]', value);
	await page.click('[data-testid=badge-door-submit]');
	await page.waitForSelector('[data-testid=badge-door-result][data-expected]:not([data-expected=""])');
	return {
		expected: await page.getAttribute('[data-testid=badge-door-result]', 'data-expected'),
		match: await page.getAttribute('[data-testid=badge-door-result]', 'data-match'),
		answer: await text(page, 'badge-door-answer'),
		note: await text(page, 'badge-door-note'),
	};
}

/* ---- test data through the API, as the gas company's manager ---- */

const api = await pwRequest.newContext({ baseURL: BASE, extraHTTPHeaders: { 'Accept-Language': 'zh-CN' } });
let csrf = '';
{
	const r = await api.post('/api/v1/session', { data: { username: 'gas.manager', password: PASSWORD } });
	if (!r.ok()) bail(new Error(`sign-in as gas.manager: ${r.status()} ${await r.text()}`));
	csrf = (await r.json()).csrf_token;
}

async function apiGet(path) {
	const r = await api.get(path);
	if (!r.ok()) throw new Error(`GET ${path}: ${r.status()} ${await r.text()}`);
	return r.json();
}

async function apiSend(method, path, body, headers = {}) {
	const r = await api.fetch(path, { method, headers: { 'X-CSRF-Token': csrf, ...headers }, data: body });
	if (!r.ok()) throw new Error(`${method} ${path}: ${r.status()} ${await r.text()}`);
	return r.json();
}

/* The public check itself, from node (no browser). */
async function publicCheck(query, lang = 'zh-CN') {
	const r = await fetch(`${BASE}/api/v1/public/badge?${new URLSearchParams(query)}`, { headers: { 'Accept-Language': lang } });
	return { status: r.status, body: await r.json() };
}

/* Today in the organisation's time zone, as the server counts days. */
const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const tokenOf = (card) => card.url.slice(card.url.indexOf('#') + 1);

/* A worker's current badge: null when there is none. */
async function badgeOf(staffId) {
	const r = await api.get(`/api/v1/staff/${staffId}/badge`);
	if (r.status() === 404) return null;
	if (!r.ok()) throw new Error(`GET badge of ${staffId}: ${r.status()}`);
	const card = await r.json();
	return { ...card, token: tokenOf(card) };
}

const assignments = (await apiGet(`/api/v1/assignments?day=${TODAY}&status=assigned&limit=100`)).items;
if (!assignments.length) bail(new Error(`the demo made no assignments for ${TODAY}`));

/* The worker at the door: the first of today's assignments whose worker
 * holds a valid badge and whose household has a door number. */
let worker = null;
for (const a of assignments) {
	const badge = await badgeOf(a.staff_id);
	if (!badge || !badge.valid) continue;
	const household = await apiGet(`/api/v1/households/${a.household_id}`);
	if (!household.room) continue;
	worker = { id: a.staff_id, badge, assignment: a, household };
	break;
}
if (!worker) bail(new Error('no worker of today has a valid badge and a household with a door number'));
/* every door this worker is expected at today */
const workerDoors = new Set();
for (const a of assignments.filter((x) => x.staff_id === worker.id))
	workerDoors.add((await apiGet(`/api/v1/households/${a.household_id}`)).room.replace(/\s/g, ''));
/* another worker's appointment, for a link that does not match */
const otherAssignment = assignments.find((a) => a.staff_id !== worker.id);

/* A small PNG (RGB, no filter) drawn by pixel(x, y) → [r, g, b]. */
function pngImage(w, h, pixel) {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc32 = (buf) => {
		let c = 0xffffffff;
		for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type, data) => {
		const len = Buffer.alloc(4);
		len.writeUInt32BE(data.length);
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([len, body, crc]);
	};
	const raw = Buffer.alloc((w * 3 + 1) * h);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) raw.set(pixel(x, y), y * (w * 3 + 1) + 1 + x * 3);
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; /* bit depth */
	ihdr[9] = 2; /* RGB */
	return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/* A passport-style portrait: blue background, a head and shoulders. */
const PHOTO_W = 120;
const PHOTO_H = 150;
const portrait = pngImage(PHOTO_W, PHOTO_H, (x, y) => {
	const head = (x - 60) ** 2 + (y - 58) ** 2 < 26 ** 2;
	const body = y > 100 && Math.abs(x - 60) < 20 + (y - 100) * 0.9;
	return head ? [236, 200, 170] : body ? [40, 60, 90] : [90, 150, 220];
});

/* S1/S5: the worker at the door gets a photo, set as the manager does
 * from the staff page (once; every case that needs it asks). */
let photoGiven = false;
async function givePhoto() {
	if (photoGiven) return;
	const staff = await apiGet(`/api/v1/staff/${worker.id}`);
	const put = await api.put(`/api/v1/staff/${worker.id}/photo?version=${staff.version}`, {
		headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'image/png' },
		data: portrait,
	});
	assert(put.ok(), `photo upload: ${put.status()} ${await put.text()}`);
	photoGiven = true;
}

/* ---- cases ---- */

await test('S5 the badge page is served with a strict CSP and no inline code', async () => {
	const ctx = await phone();
	const page = await ctx.newPage();
	const res = await page.goto(`${BASE}/badge.html#${worker.badge.token}`);
	const h = res.headers();
	const csp = h['content-security-policy'] || '';
	assert(csp.includes("script-src 'self'") && csp.includes("style-src 'self'") && csp.includes("connect-src 'self'"), `CSP header: ${csp}`);
	equal(h['referrer-policy'], 'no-referrer', 'Referrer-Policy');
	await page.waitForSelector('[data-testid=badge-state][data-state=valid]');
	const inline = await page.evaluate(() => ({
		scripts: [...document.scripts].filter((s) => !s.src).length,
		styled: document.querySelectorAll('[style]').length,
		handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
	}));
	equal(inline.scripts, 0, 'inline scripts');
	equal(inline.styled, 0, 'inline style attributes');
	equal(inline.handlers, 0, 'inline event handlers');
	equal(await page.getAttribute('html', 'lang'), 'zh-CN', 'default language');
	equal(await page.title(), '工作证查验', 'page title');
});

await test('S5 a worker with no photo on file: the placeholder is an image a screen reader names "no photo"', async () => {
	if (photoGiven) return;	/* demo workers have none until givePhoto() */
	const ctx = await phone();
	const page = await ctx.newPage();
	await openBadge(page, worker.badge.token, 'valid');
	const none = page.locator('[data-testid=badge-photo-none]');
	assert(await none.isVisible(), 'the placeholder is shown');
	const a11y = await none.evaluate((e) => ({ role: e.getAttribute('role'), hidden: e.getAttribute('aria-hidden'), label: e.getAttribute('aria-label') }));
	equal(a11y.role, 'img', 'role');
	equal(a11y.hidden, null, 'not hidden from screen readers');
	equal(a11y.label, '无照片', 'its name');
	/* S5 V3 no photo to compare with: the page asks for an ID card instead */
	const note = await text(page, 'badge-state-note');
	assert(note.includes('出示身份证') && !note.includes('请核对照片'), `the note without a photo: ${note}`);
});

await test('V3 S5 a valid badge on a phone-sized screen shows photo, name, employer and valid', async () => {
	await givePhoto();
	const answer = await publicCheck({ token: worker.badge.token });
	equal(answer.status, 200, 'public check');
	equal(answer.body.photo, true, 'the answer says there is a photo');

	const ctx = await phone();
	const page = await ctx.newPage();
	await openBadge(page, worker.badge.token, 'valid');
	equal(await text(page, 'badge-state-title'), '✓ 有效', 'verdict');
	assert((await text(page, 'badge-state-note')).includes('请核对照片'), 'asks to compare the photo');
	equal(await text(page, 'badge-name'), answer.body.name, 'name');
	equal(await text(page, 'badge-employer'), answer.body.employer, 'employer');
	equal(await text(page, 'badge-organisation'), answer.body.organisation, 'organisation');
	equal(await text(page, 'badge-no'), answer.body.badge_no, 'badge number');
	equal(await text(page, 'badge-level'), answer.body.level, 'level');
	equal(await text(page, 'badge-jobs'), answer.body.job_types.join('、'), 'job types');
	assert(/[\u4e00-\u9fff]/.test(answer.body.level), `level label in Chinese: ${answer.body.level}`);
	const checked = await text(page, 'badge-checked-at');
	assert(new RegExp(`^查验时间：${TODAY} \\d\\d:\\d\\d:\\d\\d$`).test(checked), `time checked: ${checked}`);
	/* the photo is the worker's, not the placeholder */
	await page.waitForSelector('[data-testid=badge-photo]:visible');
	equal(await page.$eval('[data-testid=badge-photo]', (i) => i.naturalWidth), PHOTO_W, 'photo loaded');
	assert(await page.locator('[data-testid=badge-photo-none]').isHidden(), 'placeholder hidden');
	/* readable on a phone: no sideways scrolling, large text, the verdict and the worker on the first screen */
	/* (against the phone's own width: its layout viewport widens to the content) */
	const layout = await page.evaluate((w) => {
		const q = (id) => document.querySelector(`[data-testid=${id}]`);
		const px = (id) => parseFloat(getComputedStyle(q(id)).fontSize);
		return {
			overflow: document.documentElement.scrollWidth - w,
			verdict: px('badge-state-title'),
			name: px('badge-name'),
			facts: px('badge-no'),
			stateBottom: q('badge-state').getBoundingClientRect().bottom,
			nameBottom: q('badge-name').getBoundingClientRect().bottom,
			photoBottom: q('badge-photo').getBoundingClientRect().bottom,
			green: getComputedStyle(q('badge-state')).backgroundColor,
		};
	}, page.viewportSize().width);
	assert(layout.overflow <= 0, `wider than the screen by ${layout.overflow}px`);
	assert(layout.verdict >= 28 && layout.name >= 24 && layout.facts >= 16, `font sizes: ${JSON.stringify(layout)}`);
	assert(layout.stateBottom <= 640 && layout.nameBottom <= 640 && layout.photoBottom <= 640, `first screen: ${JSON.stringify(layout)}`);
	const [r, g, b] = layout.green.match(/\d+/g).map(Number);
	assert(g > r + 50 && g > b + 30, `the valid verdict is green: ${layout.green}`);
	assert(await page.locator('[data-testid=badge-door]').isVisible(), 'door question offered');
	await shot(page, 'badge-01-valid-phone');
});

await test('V3 the door number tells whether the worker is expected today', async () => {
	const ctx = await phone();
	const page = await ctx.newPage();
	await openBadge(page, worker.badge.token, 'valid');
	equal(await page.locator('label[for=door-input]').innerText(), '输入您的门牌号（如 3栋2单元501）', 'door label');
	assert(await page.locator('[data-testid=badge-door-result]').isHidden(), 'no answer before asking');
	/* the household's whole door: building, unit, room */
	const room = worker.household.room;
	const full = (worker.household.site_path || '').split(' / ').slice(1).join('') + room;
	assert(full !== room, `the household ${worker.household.id} is in a building (${worker.household.site_path})`);
	let a = await askDoor(page, full);
	equal(a.expected, 'true', `expected at ${full}`);
	equal(a.match, 'full', `matched ${full} whole`);
	equal(a.answer, '✓ 今天有您家的预约', 'answer for the right door');
	await shot(page, 'badge-02-door-expected');
	/* the room number alone: every building has one, so the page asks for more */
	a = await askDoor(page, room);
	equal(a.expected, 'true', `expected at a ${room}`);
	equal(a.match, 'number', `matched ${room} by number only`);
	equal(a.answer, '今天有门牌号相同的预约', 'answer for the room number alone');
	assert(a.note.includes('请输入楼栋和单元'), 'asks for building and unit');
	await shot(page, 'badge-02b-door-number-only');
	/* another door */
	let other = '9999';
	while (workerDoors.has(other)) other += '9';
	a = await askDoor(page, other);
	equal(a.expected, 'false', `not expected at ${other}`);
	equal(a.answer, '今天没有您家的预约记录', 'answer for another door');
	assert((await text(page, 'badge-door-note')).includes('请勿让其入户'), 'advice when not expected');
	await shot(page, 'badge-03-door-not-expected');
	/* the household's door as people also write it: 1-2-301, 1号楼2单元301室, 1幢2单元301 */
	const nums = (worker.household.site_path || '').split(' / ').slice(1).map((p) => (p.match(/^(\d+)(栋|单元)$/) || [])[1]);
	assert(nums.length === 2 && nums.every(Boolean), `the demo household is in N栋 / N单元: ${worker.household.site_path}`);
	for (const door of [`${nums[0]}-${nums[1]}-${room}`, `${nums[0]}号楼${nums[1]}单元${room}室`, `${nums[0]}幢${nums[1]}单元${room}`]) {
		a = await askDoor(page, door);
		equal(a.match, 'full', `matched ${door} whole`);
	}
	/* the building and room without the unit: every unit may have that room */
	a = await askDoor(page, `${nums[0]}栋${room}`);
	equal(a.match, 'number', `matched ${nums[0]}栋${room} by number only`);
	/* typed on a Chinese keyboard: full-width digits and a trailing 室 */
	const wide = room.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
	a = await askDoor(page, ` ${wide}室 `);
	equal(a.expected, 'true', `expected at "${wide}室"`);
	/* an empty door number is not asked */
	const before = [];
	page.on('request', (r) => before.push(r.url()));
	await page.fill('[data-testid=badge-door-input]', '  ');
	await page.click('[data-testid=badge-door-submit]');
	equal(await text(page, 'badge-door-answer'), '请先输入门牌号', 'empty door');
	equal(before.length, 0, 'no request for an empty door');
	/* the badge is still shown valid: the door question re-checks it */
	equal(await stateOf(page), 'valid', 'verdict after the door questions');
});

await test('V3 an appointment link shows expected', async () => {
	const ctx = await phone();
	const page = await ctx.newPage();
	const asked = [];
	page.on('request', (r) => {
		if (r.url().includes('/api/')) asked.push(new URL(r.url()));
	});
	await openBadge(page, `${worker.badge.token}&a=${worker.assignment.token}`, 'valid');
	await page.waitForSelector('[data-testid=badge-door-result][data-expected=true]');
	equal(await text(page, 'badge-door-answer'), '按您的预约链接： ✓ 今天有您家的预约', 'appointment answer');
	const q = asked.find((u) => u.pathname === '/api/v1/public/badge');
	equal(q && q.searchParams.get('appointment'), worker.assignment.token, 'asked with appointment=');
	await shot(page, 'badge-04-appointment');
	/* another worker's appointment: this worker is not expected there */
	if (otherAssignment) {
		await openBadge(page, `${worker.badge.token}&a=${otherAssignment.token}`, 'valid');
		await page.waitForSelector('[data-testid=badge-door-result][data-expected=false]');
		equal(await text(page, 'badge-door-answer'), '按您的预约链接： 今天没有您家的预约记录', 'another appointment');
	}
	/* a garbled appointment code is not sent; the badge is still checked */
	asked.length = 0;
	await openBadge(page, `${worker.badge.token}&a=not-a-code`, 'valid');
	equal(await text(page, 'badge-door-answer'), '预约链接无效，请输入门牌号查询。', 'garbled appointment');
	assert(asked.every((u) => !u.searchParams.has('appointment')), 'garbled appointment not asked');
});

await test('S5 an unknown token shows invalid without detail', async () => {
	const ctx = await phone();
	const page = await ctx.newPage();
	const asked = [];
	page.on('request', (r) => {
		if (r.url().includes('/api/')) asked.push(new URL(r.url()).pathname);
	});
	/* well formed but issued to nobody (404), garbled (400), and no token at all */
	const unknown = worker.badge.token.slice(0, 21) + (worker.badge.token[21] === 'A' ? 'B' : 'A');
	for (const [fragment, name, asks] of [
		[unknown, 'unknown', 1],
		['abc<script>', 'garbled', 1],
		[null, 'none', 0],
	]) {
		asked.length = 0;
		await openBadge(page, fragment, 'unknown');
		equal(await text(page, 'badge-state-title'), '✗ 无效的工作证', `${name}: verdict`);
		equal(await text(page, 'badge-state-note'), '未查到此工作证。请勿让其入户，并联系单位。', `${name}: note`);
		for (const id of ['badge-card', 'badge-door', 'badge-checked-at'])
			assert(await page.locator(`[data-testid=${id}]`).isHidden(), `${name}: ${id} hidden`);
		const body = await page.evaluate(() => document.body.innerText);
		assert(!/记录不存在|token|字段|工作证编码/.test(body), `${name}: no server detail on the page: ${body}`);
		const bg = await page.$eval('[data-testid=badge-state]', (e) => getComputedStyle(e).backgroundColor);
		const [r, g] = bg.match(/\d+/g).map(Number);
		assert(r > g + 80, `${name}: the verdict is red: ${bg}`);
		equal(asked.filter((p) => p === '/api/v1/public/badge').length, asks, `${name}: checks asked`);
		assert(!asked.includes('/api/v1/public/badge/photo'), `${name}: no photo asked`);
		if (name === 'unknown') await shot(page, 'badge-05-unknown');
	}
	/* then the real badge scanned into the same tab (only the fragment changes) */
	await page.evaluate((t) => (location.hash = t), worker.badge.token);
	await page.waitForSelector('[data-testid=badge-state][data-state=valid]');
	assert(await page.locator('[data-testid=badge-card]').isVisible(), 'the worker shown after the fragment changed');
});

await test('S5 the page shows no phone, address or ID number', async () => {
	/* what must never show: the worker's own phone and ID number, and
	 * anything about the households they visit */
	const secrets = [];
	const me = await apiGet(`/api/v1/staff/${worker.id}?reveal=phone`);
	if (me.phone) secrets.push(me.phone);
	const id = await apiGet(`/api/v1/staff/${worker.id}?reveal=id_number`);
	if (id.id_number) secrets.push(id.id_number);
	for (const a of assignments.filter((x) => x.staff_id === worker.id)) {
		const h = await apiGet(`/api/v1/households/${a.household_id}?reveal=phone`);
		for (const s of [h.phone, h.phone2, h.address, h.name, h.account_no, h.site_path]) if (s) secrets.push(s);
	}
	assert(secrets.length >= 3, `secrets to look for: ${secrets.length}`);
	const phoneLike = /(?<!\d)1[3-9]\d(?:\d{4}|\*{4})\d{4}(?!\d)/;
	const idLike = /(?<![0-9A-Za-z])\d{6}(?:\d{8}|\*{8})\d{3}[\dXx*](?![0-9A-Za-z])/;
	const addressLike = /\d+\s*(?:号楼|栋|单元|弄|室)|[路街巷弄]\s*\d+/;
	const allowedKeys = new Set(['valid', 'name', 'employer', 'organisation', 'badge_no', 'level', 'job_types', 'photo', 'checked_at', 'expected', 'door_match']);

	const ctx = await phone();
	const page = await ctx.newPage();
	const answers = [];
	page.on('response', (r) => {
		if (new URL(r.url()).pathname === '/api/v1/public/badge') answers.push(r.text().then((t) => [r.url(), t]));
	});
	await openBadge(page, `${worker.badge.token}&a=${worker.assignment.token}`, 'valid');
	await page.waitForSelector('[data-testid=badge-door-result][data-expected=true]');
	await askDoor(page, worker.household.room);
	await askDoor(page, '9999');
	const bodies = await Promise.all(answers);
	equal(bodies.length, 3, 'answers seen');
	const pageText = await page.evaluate(() => document.body.innerText);
	/* the photo's blob: address is a random UUID whose hex can hold eleven
	   digits in a row (a12345678901-…): a reference to memory, not data */
	const html = (await page.content()).replace(/blob:[^"'\s)]+/g, 'blob:');
	/* the door label's example (3栋2单元501) is the page's own fixed text, not anyone's address */
	const example = (t) => t.replaceAll('3栋2单元501', '');
	for (const [where, s] of [['page text', example(pageText)], ['page HTML', example(html)], ...bodies.map(([u, t]) => [`answer to ${new URL(u).search.replace(/token=[^&]+/, 'token=…')}`, t])]) {
		for (const secret of secrets) assert(!s.includes(secret), `${where} contains "${secret}"`);
		/* what stands around a match, so a failure says where it came from */
		const around = (re) => {
			const m = s.match(re);
			return m ? `${m[0]} in …${s.slice(Math.max(0, m.index - 60), m.index + m[0].length + 20)}…` : '';
		};
		assert(!phoneLike.test(s), `${where} has a phone number: ${around(phoneLike)}`);
		assert(!idLike.test(s), `${where} has an ID number: ${around(idLike)}`);
		assert(!addressLike.test(s), `${where} has an address: ${around(addressLike)}`);
	}
	for (const [u, t] of bodies) {
		const keys = Object.keys(JSON.parse(t));
		const extra = keys.filter((k) => !allowedKeys.has(k));
		equal(extra.join(','), '', `fields beyond the documented ones in ${new URL(u).pathname}`);
	}
	for (const word of ['电话', '手机', '地址', '身份证']) assert(!pageText.includes(word), `page mentions ${word}`);
});

await test('S5 the page sends the token only in the API query, makes no other requests and stores nothing', async () => {
	const ctx = await phone();
	const page = await ctx.newPage();
	const requests = [];
	page.on('request', (r) => requests.push(r));
	const token = worker.badge.token;
	await givePhoto();
	await openBadge(page, `${token}&a=${worker.assignment.token}`, 'valid');
	await page.waitForSelector('[data-testid=badge-photo]:visible');
	await askDoor(page, worker.household.room);
	await page.click('[data-testid=badge-recheck]');
	await page.waitForSelector('[data-testid=badge-state][data-state=valid]');
	const origin = new URL(BASE).origin;
	const statics = new Set(['/badge.html', '/js/badge.js', '/badge-i18n.js', '/css/badge.css', '/favicon.svg']);
	for (const r of requests) {
		/* the photo shown from memory: not a network request */
		if (r.url().startsWith(`blob:${origin}/`)) continue;
		const u = new URL(r.url());
		equal(u.origin, origin, `request to another origin: ${r.url()}`);
		const headers = await r.allHeaders();
		assert(!JSON.stringify(headers).includes(token), `token in the headers of ${u.pathname}`);
		assert(!headers.cookie, `a cookie was sent to ${u.pathname}`);
		assert(!(r.postData() || '').includes(token), `token in a body to ${u.pathname}`);
		if (u.pathname === '/api/v1/public/badge' || u.pathname === '/api/v1/public/badge/photo') {
			equal(r.method(), 'GET', `method of ${u.pathname}`);
			equal(u.searchParams.get('token'), token, `token in the query of ${u.pathname}`);
		} else {
			assert(statics.has(u.pathname), `unexpected request: ${r.method()} ${u.pathname}`);
			assert(!u.href.includes(token), `token in ${u.href}`);
		}
	}
	const badgeAsks = requests.filter((r) => new URL(r.url()).pathname === '/api/v1/public/badge').length;
	equal(badgeAsks, 3, 'checks: the page, the door, check again');
	equal(requests.filter((r) => new URL(r.url()).pathname === '/api/v1/public/badge/photo').length, 1, 'the photo asked once');
	const stored = await page.evaluate(async () => ({
		local: localStorage.length,
		session: sessionStorage.length,
		cookie: document.cookie,
		dbs: indexedDB.databases ? (await indexedDB.databases()).length : 0,
		caches: self.caches ? (await caches.keys()).length : 0,
	}));
	equal(JSON.stringify(stored), JSON.stringify({ local: 0, session: 0, cookie: '', dbs: 0, caches: 0 }), 'storage');
	equal((await ctx.cookies()).length, 0, 'cookies');
	/* a signed-in staff member's session cookie is not sent to the public check either */
	const staffCtx = await phone();
	const login = await staffCtx.request.post(`${BASE}/api/v1/session`, { data: { username: 'gas.manager', password: PASSWORD } });
	assert(login.ok(), 'sign-in in the browser context');
	assert((await staffCtx.cookies()).length > 0, 'session cookie set');
	const p2 = await staffCtx.newPage();
	const cookies = [];
	p2.on('request', async (r) => {
		if (new URL(r.url()).pathname.startsWith('/api/')) cookies.push((await r.allHeaders()).cookie || '');
	});
	await openBadge(p2, token, 'valid');
	assert(cookies.length > 0 && cookies.every((c) => c === ''), `cookies sent to the API: ${JSON.stringify(cookies)}`);
});

await test('V3 English: an English phone gets the page in English, and the toggle switches language', async () => {
	const ctx = await phone({ locale: 'en-US' });
	const page = await ctx.newPage();
	const langs = [];
	page.on('request', async (r) => {
		if (new URL(r.url()).pathname === '/api/v1/public/badge') langs.push((await r.allHeaders())['accept-language']);
	});
	await openBadge(page, worker.badge.token, 'valid');
	equal(await page.getAttribute('html', 'lang'), 'en', 'html lang');
	equal(await page.title(), 'Badge check', 'page title');
	equal(await text(page, 'badge-state-title'), '✓ Valid', 'verdict');
	const en = (await publicCheck({ token: worker.badge.token }, 'en')).body;
	equal(await text(page, 'badge-level'), en.level, 'level label from the server in English');
	equal(await text(page, 'badge-jobs'), en.job_types.join(', '), 'job types in English');
	assert(/^Checked at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(await text(page, 'badge-checked-at')), 'time checked');
	equal(await page.locator('label[for=door-input]').innerText(), 'Enter your door number with its building and unit, as in your address', 'door label');
	const full = worker.household.site_path.split(' / ').slice(1).join('') + worker.household.room;
	let a = await askDoor(page, full);
	equal(a.answer, '✓ Has an appointment at your home today', 'door answer in English');
	a = await askDoor(page, worker.household.room);
	equal(a.answer, 'Has an appointment today at a door with this number', 'room number alone, in English');
	assert(a.note.startsWith('Other buildings have this number too'), 'asks for building and unit, in English');
	a = await askDoor(page, '9999x');
	equal(a.answer, 'No appointment at your home today on record', 'no appointment in English');
	const body = await page.evaluate(() => document.body.innerText);
	assert(!/[\u4e00-\u9fff]/.test(body.replace(await text(page, 'badge-lang'), '').replace(en.name, '').replace(en.employer, '').replace(en.organisation, '')), `Chinese outside the worker's data and the toggle: ${body}`);
	await shot(page, 'badge-06-english');
	/* the toggle: to Chinese and back, server labels too */
	equal(await text(page, 'badge-lang'), '中文', 'toggle offers Chinese');
	await page.click('[data-testid=badge-lang]');
	await page.waitForFunction(() => document.querySelector('[data-testid=badge-state-title]').textContent === '✓ 有效');
	const zh = (await publicCheck({ token: worker.badge.token })).body;
	await page.waitForFunction((l) => document.querySelector('[data-testid=badge-level]').textContent === l, zh.level);
	equal(await page.getAttribute('html', 'lang'), 'zh-CN', 'html lang after the toggle');
	equal(await text(page, 'badge-door-answer'), '今天没有您家的预约记录', 'the door answer follows the language');
	await page.click('[data-testid=badge-lang]');
	await page.waitForFunction(() => document.querySelector('[data-testid=badge-state-title]').textContent === '✓ Valid');
	assert(langs.includes('en') && langs.includes('zh-CN'), `Accept-Language asked: ${langs}`);
	/* the invalid verdict in English */
	const unknown = worker.badge.token.slice(0, 21) + (worker.badge.token[21] === 'A' ? 'B' : 'A');
	await openBadge(page, unknown, 'unknown');
	equal(await text(page, 'badge-state-title'), '✗ Invalid badge', 'unknown badge in English');
	assert((await text(page, 'badge-state-note')).includes('Do not let them in'), 'advice in English');
	/* a Chinese phone's toggle turns it English */
	const zhCtx = await phone();
	const p2 = await zhCtx.newPage();
	await openBadge(p2, worker.badge.token, 'valid');
	equal(await text(p2, 'badge-lang'), 'English', 'toggle offers English');
	await p2.click('[data-testid=badge-lang]');
	await p2.waitForFunction(() => document.querySelector('[data-testid=badge-state-title]').textContent === '✓ Valid');
	await p2.waitForFunction((l) => document.querySelector('[data-testid=badge-level]').textContent === l, en.level);
	/* nothing remembered: a new page is Chinese again */
	await p2.reload();
	await p2.waitForSelector('[data-testid=badge-state][data-state=valid]');
	equal(await text(p2, 'badge-state-title'), '✓ 有效', 'Chinese again after a reload');
});

await test("S5 a suspended worker's badge shows invalid at once", async () => {
	/* a worker of its own: active, with a valid badge, not today's worker at the door */
	const busy = new Set(assignments.map((a) => a.staff_id));
	const list = (await apiGet('/api/v1/staff?status=active&limit=100')).items;
	let target = null;
	for (const s of list.filter((x) => !busy.has(x.id))) {
		const b = await badgeOf(s.id);
		if (b && b.valid) {
			target = { id: s.id, badge: b };
			break;
		}
	}
	assert(target, 'an active worker with a valid badge and no visit today');
	const ctx = await phone();
	const page = await ctx.newPage();
	await openBadge(page, target.badge.token, 'valid');
	let suspended = false;
	try {
		await apiSend('POST', `/api/v1/staff/${target.id}/discipline`, {
			kind: 'suspension',
			reason: '浏览器测试：停职后工作证立即无效',
			rule: '入户人员管理制度 S5',
			evidence: '主管书面报告',
			day: TODAY,
			decided_by: '王建国',
		});
		suspended = true;
		await page.reload();
		await page.waitForSelector('[data-testid=badge-state][data-state=invalid]');
		equal(await text(page, 'badge-state-title'), '✗ 无效', 'verdict');
		equal(await text(page, 'badge-state-note'), '请勿让其入户，并联系单位。', 'advice');
		const bg = await page.$eval('[data-testid=badge-state]', (e) => getComputedStyle(e).backgroundColor);
		const [r, g] = bg.match(/\d+/g).map(Number);
		assert(r > g + 80, `the invalid verdict is red: ${bg}`);
		/* who it is still shows (to report them), marked void; no door question for a void badge */
		equal(await text(page, 'badge-name'), target.badge.name, 'name still shown');
		assert(await page.locator('[data-testid=badge-card].card-void').isVisible(), 'card marked void');
		assert(await page.locator('[data-testid=badge-door]').isHidden(), 'no door question');
		assert(/^查验时间：/.test(await text(page, 'badge-checked-at')), 'time checked');
		await shot(page, 'badge-07-suspended');
	} finally {
		/* leave the demo as it was for whoever runs after */
		if (suspended)
			await apiSend('POST', `/api/v1/staff/${target.id}/discipline`, {
				kind: 'reinstatement',
				reason: '浏览器测试结束，复职',
				rule: '入户人员管理制度 S5',
				day: TODAY,
				decided_by: '王建国',
			}).catch((e) => console.log(`  (could not reinstate worker ${target.id}: ${e.message})`));
	}
});

await test('S5 a network failure says so, and checking again works', async () => {
	tolerate(/ERR_INTERNET_DISCONNECTED/);
	const ctx = await phone();
	const page = await ctx.newPage();
	const cut = (u) => u.pathname === '/api/v1/public/badge';
	await page.route(cut, (route) => route.abort('internetdisconnected'));
	await openBadge(page, worker.badge.token, 'network');
	equal(await text(page, 'badge-state-title'), '暂时无法查验', 'verdict');
	equal(await text(page, 'badge-state-note'), '网络连接失败，请检查网络后重试', 'message');
	assert(await page.locator('[data-testid=badge-card]').isHidden(), 'nothing shown as if checked');
	await shot(page, 'badge-08-network');
	await page.unroute(cut);
	await page.click('[data-testid=badge-recheck]');
	await page.waitForSelector('[data-testid=badge-state][data-state=valid]');
});

/* Sends n GETs of path with `parallel` at a time, from localAddress when given. */
async function flood(path, { localAddress, parallel = 16, until }) {
	const url = new URL(BASE);
	const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
	const get = () =>
		new Promise((resolve, reject) => {
			const req = http.get({ host: url.hostname, port: url.port, path, agent, localAddress, headers: { 'Accept-Language': 'zh-CN' } }, (res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (d) => (body += d));
				res.on('end', () => resolve({ status: res.statusCode, body }));
			});
			req.on('error', reject);
		});
	const seen = { sent: 0, ok: 0, limited: 0, other: 0, limitedBody: null };
	const one = async () => {
		while (!until(seen)) {
			seen.sent++;
			const r = await get();
			if (r.status === 200) seen.ok++;
			else if (r.status === 429) {
				seen.limited++;
				seen.limitedBody ??= r.body;
			} else seen.other++;
		}
	};
	await Promise.all(Array.from({ length: parallel }, one));
	agent.destroy();
	return seen;
}

await test('S5 the public badge check is rate-limited, and the page says to try again later', async () => {
	/* the server: a burst from one address is cut off with 429 rate_limited */
	const host = new URL(BASE).hostname;
	const localAddress = host === '127.0.0.1' ? '127.0.0.2' : undefined; /* a bucket of its own */
	const path = `/api/v1/public/badge?token=${worker.badge.token}`;
	const seen = await flood(path, { localAddress, until: (s) => (s.limited >= 20 && s.ok > 0) || s.sent >= 20000 });
	assert(seen.ok > 0, `some checks answered before the limit: ${JSON.stringify({ ...seen, limitedBody: undefined })}`);
	assert(seen.limited > 0, `429 after ${seen.sent} quick checks`);
	equal(seen.other, 0, 'answers other than 200 and 429');
	const limited = JSON.parse(seen.limitedBody);
	equal(limited.error && limited.error.code, 'rate_limited', '429 error code');
	console.log(`  ${seen.sent} checks from ${localAddress || 'this address'}: ${seen.ok} answered, ${seen.limited} refused with 429`);
	/* per address: the browser's own address still gets its answer */
	if (localAddress) equal((await publicCheck({ token: worker.badge.token })).status, 200, 'another address is not limited');

	/* the page: a 429 (the server's own answer, replayed to this browser) */
	const ctx = await phone();
	const page = await ctx.newPage();
	const limit = (u) => u.pathname === '/api/v1/public/badge';
	await page.route(limit, (route) => route.fulfill({ status: 429, contentType: 'application/json; charset=utf-8', body: seen.limitedBody }));
	await openBadge(page, worker.badge.token, 'rate');
	equal(await text(page, 'badge-state-title'), '暂时无法查验', 'verdict');
	equal(await text(page, 'badge-state-note'), '查询过于频繁，请稍后再试', 'message');
	assert(await page.locator('[data-testid=badge-card]').isHidden(), 'not shown as valid');
	assert(await page.locator('[data-testid=badge-recheck]').isVisible(), 'check again offered');
	await shot(page, 'badge-09-rate-limited');
	/* a door question that is refused keeps the verdict and says why */
	await page.unroute(limit);
	await page.click('[data-testid=badge-recheck]');
	await page.waitForSelector('[data-testid=badge-state][data-state=valid]');
	await page.route(limit, (route) => route.fulfill({ status: 429, contentType: 'application/json; charset=utf-8', body: seen.limitedBody }));
	await page.fill('[data-testid=badge-door-input]', worker.household.room);
	await page.click('[data-testid=badge-door-submit]');
	await page.waitForFunction(() => document.querySelector('[data-testid=badge-door-answer]').textContent === '查询过于频繁，请稍后再试');
	equal(await stateOf(page), 'valid', 'verdict kept');
});

await test('V3 a badge asked about door after door stops answering for new doors, and the page says to call the organisation', async () => {
	/* another worker of today than the one the cases above ask about */
	let other = null;
	for (const a of assignments) {
		if (a.staff_id === worker.id) continue;
		const badge = await badgeOf(a.staff_id);
		if (badge && badge.valid) {
			other = badge;
			break;
		}
	}
	assert(other, 'another worker of today holds a valid badge');
	/* the server: new doors, each from an address of its own bucket, until the badge stops answering for doors */
	const url = new URL(BASE);
	const ask = (door, i) =>
		new Promise((resolve, reject) => {
			const localAddress = url.hostname === '127.0.0.1' ? `127.0.0.${3 + (i % 8)}` : undefined;
			const q = new URLSearchParams({ token: other.token, door });
			const req = http.get({ host: url.hostname, port: url.port, path: `/api/v1/public/badge?${q}`, localAddress }, (res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (d) => (body += d));
				res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
			});
			req.on('error', reject);
		});
	let answered = 0;
	let refused = null;
	for (let i = 0; i < 200 && !refused; i++) {
		const r = await ask(`8${String(i).padStart(3, '0')}`, i);
		if (r.status === 200) answered++;
		else if (r.status === 429 && r.body.error && r.body.error.field === 'door') refused = r.body;
		else throw new Error(`door ${i}: ${r.status} ${JSON.stringify(r.body)}`);
	}
	assert(refused, `no door limit after ${answered} doors`);
	assert(answered >= 10 && answered <= 128, `answered for ${answered} doors first`);
	/* the page: a new door is not checked, the badge still is */
	const ctx = await phone();
	const page = await ctx.newPage();
	await openBadge(page, other.token, 'valid');
	await page.fill('[data-testid=badge-door-input]', '7777');
	await page.click('[data-testid=badge-door-submit]');
	await page.waitForFunction(() => (document.querySelector('[data-testid=badge-door-answer]')?.textContent || '').includes('请致电其单位核实来访'));
	equal(await stateOf(page), 'valid', 'the verdict is kept');
	await shot(page, 'badge-10-door-limit');
	/* checking again asks what was last answered, the badge alone: still valid */
	await page.click('[data-testid=badge-recheck]');
	await page.waitForSelector('[data-testid=badge-state][data-state=valid]');
	/* a door asked before the limit still answers: it is no new door */
	equal((await publicCheck({ token: other.token, door: '8000' })).status, 200, 'a door asked before');
});

await api.dispose();
await finish();
