/*
 * ui.test.mjs — browser tests of the ruhu web UI against a running server
 * with the demo data (see run.sh, which starts one on a fresh database).
 *
 *   node tests/browser/ui.test.mjs http://127.0.0.1:PORT
 *
 * Drives the system Chromium through playwright-core. Each case is named
 * (with the SPEC rule it proves, where there is one) and counted; the
 * last line of output is "N passed, N failed". Screenshots of every page
 * go to tests/out/screenshots/ (RUHU_SHOTS overrides).
 *
 * Any console error, uncaught page error, failed request or server error
 * during a case fails that case: CSP violations show up as console
 * errors. The one kind of console error tolerated is Chromium's "Failed to
 * load resource" for an /api/ call answered 4xx on purpose (a wrong
 * password, a refused form, the signed-out start-up check), since the UI
 * handles those itself.
 */
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check as checkCatalogues } from './i18n_check.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const BASE = (process.argv[2] || process.env.RUHU_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const SHOTS = process.env.RUHU_SHOTS || join(root, 'tests/out/screenshots');
const PASSWORD = 'Ruhu@2026';
const TIMEOUT = 8000;
mkdirSync(SHOTS, { recursive: true });

/* ---- harness ---- */

let passed = 0;
let failed = 0;
let current = '';
const problems = [];
const only = process.env.RUHU_ONLY ? new RegExp(process.env.RUHU_ONLY) : null;

async function test(name, fn) {
	if (only && !only.test(name)) return;
	current = name;
	problems.length = 0;
	const t0 = Date.now();
	try {
		await fn();
		await new Promise((r) => setTimeout(r, 50)); /* late console messages */
		if (problems.length) throw new Error(`browser reported problems:\n    ${problems.join('\n    ')}`);
		passed++;
		console.log(`ok   ${name} (${Date.now() - t0} ms)`);
	} catch (err) {
		failed++;
		console.log(`FAIL ${name} (${Date.now() - t0} ms)`);
		/* what every open page looked like when it failed */
		let i = 0;
		for (const c of browser.contexts())
			for (const p of c.pages()) await p.screenshot({ path: join(SHOTS, `FAIL-${failed}-${++i}.png`), fullPage: true }).catch(() => {});
		console.log(`  ${String(err && err.stack ? err.stack : err).split('\n').slice(0, 8).join('\n  ')}`);
	}
}

function assert(cond, msg) {
	if (!cond) throw new Error(`assertion failed: ${msg}`);
}

function equal(actual, expected, msg) {
	if (actual !== expected) throw new Error(`${msg}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/* Every page of every context reports into `problems`. */
function watch(page) {
	page.on('console', (m) => {
		if (m.type() !== 'error') return;
		const url = (m.location() && m.location().url) || '';
		if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) && url.includes('/api/')) return;
		problems.push(`console error: ${m.text()} ${url}`);
	});
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	page.on('requestfailed', (r) => {
		const f = r.failure();
		if (f && /ERR_ABORTED/.test(f.errorText)) return; /* navigation away */
		problems.push(`request failed: ${r.method()} ${r.url()} ${f ? f.errorText : ''}`);
	});
	page.on('response', (r) => {
		const u = new URL(r.url());
		if (r.status() >= 500) problems.push(`server error ${r.status()}: ${r.request().method()} ${u.pathname}`);
		else if (r.status() >= 400 && !u.pathname.startsWith('/api/')) problems.push(`static file ${r.status()}: ${u.pathname}`);
	});
	return page;
}

/* Whatever breaks outside a case still ends with the result line. */
function bail(err) {
	console.log(`FAIL the test run itself: ${err && err.stack ? err.stack : err}`);
	console.log(`${passed} passed, ${failed + 1} failed`);
	process.exit(1);
}
process.on('uncaughtException', bail);
process.on('unhandledRejection', bail);

const browser = await chromium
	.launch({
		executablePath: process.env.RUHU_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
	})
	.catch(bail);

async function newContext(opts = {}) {
	const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...opts });
	ctx.setDefaultTimeout(TIMEOUT);
	ctx.on('page', watch);
	return ctx;
}

async function shot(page, name, fullPage = true) {
	if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

async function login(page, username, password = PASSWORD) {
	await page.goto(`${BASE}/#/login`);
	await page.waitForSelector('[data-testid=login-form]');
	await page.fill('[data-testid=login-form] input[name=username]', username);
	await page.fill('[data-testid=login-form] input[name=password]', password);
	await page.click('[data-testid=login-submit]');
}

async function loginOk(page, username) {
	await login(page, username);
	await page.waitForSelector('.layout .page-title');
	await page.waitForFunction(() => !document.querySelector('.content .loading'));
}

/* Opens a page by its hash and waits for its lists to finish loading. */
async function open(page, hash) {
	const path = hash.split('?')[0];
	await page.goto(`${BASE}/#${hash}`);
	const view = `.content .view[data-page="${path}"]`;
	await page.waitForSelector(`${view} .page-title, ${view} [data-testid=forbidden], ${view} [data-testid=not-found]`);
	await page.waitForFunction(() => !document.querySelector('.content [aria-busy=true]') && !document.querySelector('.content .loading'));
}

/* No "undefined", "null", "NaN", "[object Object]" or untranslated catalogue key on screen. */
const catalogueKeys = Object.keys((await import(new URL('../../web/i18n/zh-CN.js', import.meta.url))).default);
async function assertCleanText(page, where) {
	const body = await page.evaluate(() => document.body.innerText);
	const bad = body.match(/\b(undefined|null|NaN)\b|\[object Object\]/);
	assert(!bad, `${where}: "${bad && bad[0]}" on screen`);
	const key = catalogueKeys.find((k) => body.includes(k));
	assert(!key, `${where}: untranslated key "${key}" on screen`);
}

const navLabels = (page) => page.$$eval('.nav .nav-item', (els) => els.map((e) => e.getAttribute('data-nav')));
const text = (page, sel) => page.$eval(sel, (e) => e.textContent.trim());

/* ---- cases ---- */

const admin = await newContext();
const page = await admin.newPage();
const stamp = Date.now().toString(36).slice(-5);
const newUser = `ui.tester${stamp}`;
const newPassword = 'Start#2026';

await test('static: message catalogues match and page code has no literal Chinese', async () => {
	const p = await checkCatalogues(root);
	assert(p.length === 0, `catalogue problems:\n    ${p.join('\n    ')}`);
});

await test('login page is served with a strict CSP and no inline code', async () => {
	const res = await page.goto(`${BASE}/`);
	const csp = res.headers()['content-security-policy'] || '';
	assert(csp.includes("script-src 'self'") && csp.includes("style-src 'self'"), `CSP header: ${csp}`);
	await page.waitForSelector('[data-testid=login-form]');
	const inline = await page.evaluate(() => ({
		scripts: [...document.scripts].filter((s) => !s.src).length,
		styled: document.querySelectorAll('[style]').length,
		handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
	}));
	equal(inline.scripts, 0, 'inline scripts');
	equal(inline.handlers, 0, 'inline event handlers');
	equal(await page.getAttribute('html', 'lang'), 'zh-CN', 'default language');
	await shot(page, '01-login');
});

await test('X6 a wrong password is refused with the server message', async () => {
	await login(page, 'gas.admin', 'not-the-password');
	await page.waitForSelector('[data-testid=login-form] .alert-error');
	const msg = await text(page, '[data-testid=login-form] .alert-error');
	assert(msg.includes('用户名或密码错误'), `message: ${msg}`);
	equal(await page.inputValue('[data-testid=login-form] input[name=password]'), '', 'password field cleared');
});

await test('admin signs in and sees the home page', async () => {
	await loginOk(page, 'gas.admin');
	const title = await text(page, '.page-title');
	assert(title.includes('周敏'), `welcome title: ${title}`);
	assert((await text(page, '[data-testid=org-name]')).includes('华安燃气'), 'organisation name in the navigation');
	await page.waitForSelector('[data-testid=stat-audit] .stat-value');
	equal(await text(page, '[data-testid=stat-audit] .stat-value'), '审计链完整', 'audit chain state on the home page');
	const nav = await navLabels(page);
	for (const p of ['/', '/calendar', '/users', '/roles', '/organisation', '/jobs', '/audit']) assert(nav.includes(p), `admin menu has ${p}`);
	await page.waitForFunction(() => !document.querySelector('.content .loading'));
	await shot(page, '02-home');
});

await test('language switch to English and back; the choice survives a reload', async () => {
	await page.click('.header [data-lang=en]');
	await page.waitForSelector('.nav [data-nav="/users"]:has-text("Users")');
	equal(await page.getAttribute('html', 'lang'), 'en', 'html lang');
	await page.reload();
	await page.waitForSelector('.nav [data-nav="/users"]:has-text("Users")');
	assert((await text(page, '.page-title')).startsWith('Hello'), 'home page in English after reload');
	for (const path of ['/', '/calendar', '/roles', '/audit', '/jobs', '/sites', '/households', '/staff', '/import']) {
		await open(page, path);
		await assertCleanText(page, `${path} in English`);
	}
	/* the API answers in English too (Accept-Language) */
	await open(page, '/users');
	await page.click('[data-testid=user-new]');
	const d = page.locator('[data-testid=user-create]');
	await d.locator('input[name=username]').fill('xy');
	await d.locator('input[name=display_name]').fill('Short');
	await d.locator('input[name=roles][value=auditor]').check();
	await d.locator('input[name=password]').fill(newPassword);
	await page.click('[data-testid=user-create-submit]');
	await d.locator('.form-item[data-field=username].has-error').waitFor();
	const msg = await d.locator('.form-item[data-field=username] .form-error').textContent();
	assert(/Field too short: user name/.test(msg), `English server message: ${msg}`);
	await shot(page, '03-users-english-error', false);
	await page.keyboard.press('Escape');
	await d.waitFor({ state: 'detached' });
	await page.click('.header [data-lang=zh-CN]');
	await page.waitForSelector('.nav [data-nav="/users"]:has-text("账号管理")');
	await page.reload();
	await page.waitForSelector('.nav [data-nav="/users"]:has-text("账号管理")');
	equal(await page.getAttribute('html', 'lang'), 'zh-CN', 'html lang after switching back');
});

const PAGES = [
	['/users', '04-users', '账号管理'],
	['/roles', '05-roles', '角色与权限'],
	['/audit', '06-audit', '审计日志'],
	['/calendar', '07-calendar', '工作日历'],
	['/jobs', '08-jobs', '后台任务'],
	['/organisation', '09-organisation', '单位信息'],
	['/password', '10-password', '修改密码'],
];
await test('every page opens from the navigation, with breadcrumb and title', async () => {
	for (const [path, name, title] of PAGES) {
		if (path === '/password') {
			await page.click('[data-testid=user-menu]');
			await page.click('[data-testid=menu-password]');
		} else await page.click(`.nav [data-nav="${path}"]`);
		await page.waitForFunction((t) => document.querySelector('.content .page-title')?.textContent === t, title);
		await page.waitForFunction(() => !document.querySelector('.content [aria-busy=true]') && !document.querySelector('.content .loading'));
		const crumb = await text(page, '.breadcrumb .crumb:last-child');
		equal(crumb, title, `breadcrumb of ${path}`);
		assert((await page.title()).startsWith(title), `document title of ${path}`);
		await assertCleanText(page, path);
		await shot(page, name);
	}
	await open(page, '/no-such-page');
	await page.waitForSelector('[data-testid=not-found]');
});

await test('the roles page shows every role and the permission matrix', async () => {
	await open(page, '/roles');
	const roles = await page.$$eval('[data-testid=roles-list] tbody tr', (r) => r.length);
	equal(roles, 10, 'roles listed');
	const row = page.locator('[data-testid=role-matrix] tr[data-route="POST /api/v1/users"]');
	equal(await row.locator('td[data-role=admin].is-yes').count(), 1, 'admin may create users');
	equal(await row.locator('td[data-role=auditor].is-no').count(), 1, 'auditor may not create users');
});

await test('drawer takes the focus, and Escape closes it', async () => {
	await open(page, '/users');
	await page.click('[data-testid=user-new]');
	await page.waitForSelector('[data-testid=user-create]');
	await page.waitForFunction(() => document.activeElement && document.activeElement.closest('[data-testid=user-create]'));
	equal(await page.evaluate(() => document.activeElement.name), 'username', 'focused field');
	await page.keyboard.press('Escape');
	await page.waitForSelector('[data-testid=user-create]', { state: 'detached' });
});

await test('create a user through the drawer and find it in the list', async () => {
	await open(page, '/users');
	await page.click('[data-testid=user-new]');
	const d = page.locator('[data-testid=user-create]');
	await d.locator('input[name=username]').fill(newUser);
	await d.locator('input[name=display_name]').fill('测试员甲');
	await d.locator('input[name=phone]').fill('138 0000 1234');
	await d.locator('input[name=roles][value=field_worker]').check();
	await d.locator('input[name=password]').fill(newPassword);
	assert(await d.locator('input[name=must_change_password]').isChecked(), 'must change password is on by default');
	await shot(page, '11-user-create-drawer', false);
	await page.click('[data-testid=user-create-submit]');
	await d.waitFor({ state: 'detached' });
	await page.waitForSelector('.toast-success');
	await page.fill('[data-testid=users-filter] input[name=q]', newUser);
	await page.click('[data-testid=filter-search]');
	await page.waitForFunction(() => document.querySelector('[data-testid=pager-total]')?.textContent === '共 1 条');
	const rows = await page.$$eval('[data-testid=users-list] tbody tr', (r) => r.map((x) => x.textContent));
	equal(rows.length, 1, 'rows found by the search');
	assert(rows[0].includes('测试员甲') && rows[0].includes('入户工作人员') && rows[0].includes('待改初始密码'), `row: ${rows[0]}`);
});

await test('X6 a bad form field is named in the error (too short password), nothing written', async () => {
	await open(page, '/users');
	await page.click('[data-testid=user-new]');
	const d = page.locator('[data-testid=user-create]');
	await d.locator('input[name=username]').fill(`ui.short${stamp}`);
	await d.locator('input[name=display_name]').fill('短密码');
	await d.locator('input[name=roles][value=auditor]').check();
	await d.locator('input[name=password]').fill('abc12');
	await page.click('[data-testid=user-create-submit]');
	const item = d.locator('.form-item[data-field=password]');
	await d.locator('.form-item[data-field=password].has-error').waitFor();
	const msg = await item.locator('.form-error').textContent();
	assert(msg.includes('初始密码') && msg.includes('8'), `message names the field: ${msg}`);
	equal(await item.locator('input').getAttribute('aria-invalid'), 'true', 'aria-invalid');
	equal(await d.locator('.has-error').count(), 1, 'only the password field is marked');
	await shot(page, '12-user-create-error', false);
	await page.keyboard.press('Escape');
	await page.fill('[data-testid=users-filter] input[name=q]', `ui.short${stamp}`);
	await page.click('[data-testid=filter-search]');
	await page.waitForSelector('[data-testid=users-list] .empty');
});

await test('X6 a duplicate user name is named in the error', async () => {
	await open(page, '/users');
	await page.click('[data-testid=user-new]');
	const d = page.locator('[data-testid=user-create]');
	await d.locator('input[name=username]').fill(newUser);
	await d.locator('input[name=display_name]').fill('重复');
	await d.locator('input[name=roles][value=auditor]').check();
	await d.locator('input[name=password]').fill(newPassword);
	await page.click('[data-testid=user-create-submit]');
	await d.locator('.form-item[data-field=username].has-error').waitFor();
	const msg = await d.locator('.form-item[data-field=username] .form-error').textContent();
	assert(msg.includes('已存在') && msg.includes('用户名'), `message: ${msg}`);
	await page.keyboard.press('Escape');
});

await test('a required field left empty is flagged before anything is sent', async () => {
	await open(page, '/users');
	await page.click('[data-testid=user-new]');
	const d = page.locator('[data-testid=user-create]');
	let sent = false;
	const onReq = (r) => {
		if (r.method() === 'POST' && r.url().endsWith('/api/v1/users')) sent = true;
	};
	page.on('request', onReq);
	await page.click('[data-testid=user-create-submit]');
	await d.locator('.form-item[data-field=username].has-error').waitFor();
	page.off('request', onReq);
	assert(!sent, 'no request for an incomplete form');
	assert((await d.locator('.has-error').count()) >= 4, 'every required field is flagged');
	await page.keyboard.press('Escape');
});

await test('X3 a stale edit (the same user changed in two pages) shows the version conflict', async () => {
	const other = await admin.newPage();
	const openEdit = async (p) => {
		await open(p, `/users?q=${newUser}`);
		await p.waitForSelector(`[data-testid=users-list] tbody tr:has-text("${newUser}")`);
		await p.click('[data-testid=user-edit]');
		await p.waitForSelector('[data-testid=user-edit-form] input[name=display_name]');
		await p.waitForFunction(() => document.querySelector('[data-testid=user-edit-form] input[name=display_name]').value !== '');
	};
	await openEdit(page);
	await openEdit(other);
	await other.bringToFront();
	await other.fill('[data-testid=user-edit-form] input[name=display_name]', '测试员乙');
	await other.click('[data-testid=user-save]');
	await other.waitForSelector('[data-testid=user-edit-drawer]', { state: 'detached' });
	await page.bringToFront(); /* a background tab gets no animation frames */
	await page.fill('[data-testid=user-edit-form] input[name=display_name]', '测试员丙');
	await page.click('[data-testid=user-save]');
	await page.waitForSelector('[data-testid=user-edit-form] .alert-warning');
	const msg = await text(page, '[data-testid=user-edit-form] .alert-warning');
	assert(msg.includes('已被他人修改'), `conflict message: ${msg}`);
	equal(await page.inputValue('[data-testid=user-edit-form] input[name=display_name]'), '测试员乙', 'the form now shows what the other page saved');
	await shot(page, '13-user-version-conflict', false);
	/* saving again, now with the current version, works */
	await page.fill('[data-testid=user-edit-form] input[name=display_name]', '测试员丙');
	await page.click('[data-testid=user-save]');
	await page.waitForSelector('[data-testid=user-edit-drawer]', { state: 'detached' });
	await page.waitForSelector(`[data-testid=users-list] tbody tr:has-text("测试员丙")`);
	await other.close();
});

await test('X5 a phone is masked until the admin asks for it, and that view is audited', async () => {
	await open(page, `/users?q=${newUser}`);
	const row = page.locator(`[data-testid=users-list] tbody tr:has-text("${newUser}")`);
	await row.waitFor();
	assert((await row.textContent()).includes('138 **** 1234'), 'masked in the list');
	assert(!(await row.textContent()).includes('0000'), 'no digits of the middle in the list');
	await row.locator('[data-testid=user-open]').click();
	const d = page.locator('[data-testid=user-detail]');
	await d.locator('[data-testid=user-phone]').waitFor();
	equal(await d.locator('[data-testid=user-phone]').textContent(), '138 **** 1234', 'masked on the account page');
	await d.locator('[data-testid=user-reveal-phone]').click();
	await page.waitForFunction(() => document.querySelector('[data-testid=user-detail] [data-testid=user-phone]')?.textContent === '138 0000 1234');
	await shot(page, '13b-user-phone-revealed', false);
	await page.keyboard.press('Escape');
	await open(page, '/audit');
	await page.selectOption('[data-testid=audit-filter] select[name=action]', 'view_personal');
	await page.click('[data-testid=filter-search]');
	await page.waitForSelector('[data-testid=audit-list] tbody tr:has([data-action=view_personal])');
	await open(page, '/'); /* leave the audit filter behind */
});

await test('X3 audit log lists the entries of the actions done, and the chain verifies', async () => {
	await open(page, '/audit');
	await page.waitForSelector('[data-testid=audit-verify] .alert-success');
	await page.selectOption('[data-testid=audit-filter] select[name=entity]', 'user');
	await page.fill('[data-testid=audit-filter] input[name=actor]', 'gas.admin');
	await page.click('[data-testid=filter-search]');
	await page.waitForFunction(() => !document.querySelector('.content [aria-busy=true]'));
	const rows = await page.$$eval('[data-testid=audit-list] tbody tr', (r) => r.map((x) => ({ action: x.querySelector('[data-action]')?.getAttribute('data-action'), text: x.textContent })));
	assert(rows.some((r) => r.action === 'create' && r.text.includes(newUser)), 'the created user is in the audit log');
	assert(rows.filter((r) => r.action === 'update').length >= 2, 'both saves of the user are in the audit log');
	assert(rows.some((r) => r.action === 'login'), 'the sign-in is in the audit log');
	const update = page.locator('[data-testid=audit-list] tbody tr:has([data-action=update])').first();
	await update.locator('[data-testid=audit-open]').click();
	await page.waitForSelector('[data-testid=audit-entry] .diff tr.is-changed');
	const changed = await page.$$eval('[data-testid=audit-entry] .diff tr.is-changed th', (t) => t.map((x) => x.textContent));
	assert(changed.includes('display_name'), `changed fields: ${changed}`);
	await shot(page, '14-audit-entry', false);
	await page.keyboard.press('Escape');
});

await test('X4 calendar marks 2026-10-01 … 10-07 as the National Day holiday and 10-10 as a working day', async () => {
	await open(page, '/calendar?year=2026');
	await page.waitForSelector('[data-date="2026-10-01"]');
	for (let d = 1; d <= 7; d++) equal(await page.getAttribute(`[data-date="2026-10-0${d}"]`, 'data-kind'), 'holiday', `2026-10-0${d}`);
	equal(await page.getAttribute('[data-date="2026-10-08"]', 'data-kind'), 'normal', '2026-10-08');
	equal(await page.getAttribute('[data-date="2026-10-10"]', 'data-kind'), 'workday', '2026-10-10 (adjusted working day)');
	equal(await page.getAttribute('[data-date="2026-09-20"]', 'data-kind'), 'workday', '2026-09-20 (adjusted working day)');
	equal(await text(page, '[data-date="2026-10-01"] .day-badge'), '休', 'holiday mark');
	equal(await text(page, '[data-date="2026-10-10"] .day-badge'), '班', 'working day mark');
	const national = await text(page, '[data-holiday="国庆节"]');
	assert(national.includes('10月1日') && national.includes('10月7日') && national.includes('7 天'), `holiday list: ${national}`);
	assert((await text(page, '[data-testid=calendar-banner]')).includes('官方'), 'the year is known (official schedule)');
	await page.click('[data-testid=year-next]');
	await page.waitForFunction(() => document.querySelector('[data-testid=calendar-year]').textContent === '2027');
	await page.waitForSelector('[data-testid=calendar-banner] .alert-warning');
	assert((await text(page, '[data-testid=calendar-banner]')).includes('尚无 2027 年'), 'an unknown year is flagged');
});

await test('X4 the deadline calculator gives 2026-10-08 for 1 working day from 2026-09-30', async () => {
	await open(page, '/calendar?year=2026');
	await page.fill('[data-testid=deadline-form] input[name=from]', '2026-09-30T09:00');
	await page.fill('[data-testid=deadline-form] input[name=amount]', '1');
	await page.selectOption('[data-testid=deadline-form] select[name=unit]', 'working_days');
	await page.click('[data-testid=deadline-submit]');
	await page.waitForSelector('[data-testid=deadline-due]');
	const due = await text(page, '[data-testid=deadline-due]');
	assert(due.startsWith('2026-10-08'), `due: ${due}`);
	assert((await text(page, '[data-testid=deadline-result]')).includes('星期四'), 'weekday shown');
	await assertCleanText(page, 'deadline result');
	await page.locator('[data-testid=deadline-form]').scrollIntoViewIfNeeded();
	await shot(page, '15-calendar-deadline', false);
});

await test('X6 a bad line in an imported holiday CSV is named', async () => {
	await open(page, '/calendar?year=2027');
	await page.fill('[data-testid=import-form] input[name=year]', '2027');
	await page.setInputFiles('[data-testid=import-form] input[name=csv]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,坏日期\n') });
	await page.click('[data-testid=import-submit]');
	await page.click('[data-testid=confirm-ok]');
	await page.waitForSelector('[data-testid=import-form] .form-item[data-field=csv].has-error');
	const msg = await text(page, '[data-testid=import-form] .form-item[data-field=csv] .form-error');
	assert(msg.includes('第 3 行'), `message names the line: ${msg}`);
	await page.waitForSelector('[data-testid=calendar-banner] .alert-warning'); /* still unknown: nothing written */
});

await test('X4 an admin imports the 2027 schedule from a CSV file', async () => {
	await open(page, '/calendar?year=2027');
	const csv = '\ufeffdate,kind,name\r\n2027-01-01,holiday,元旦\r\n2027-01-02,holiday,元旦\r\n2027-01-03,holiday,元旦\r\n2027-01-09,workday,元旦\r\n';
	await page.setInputFiles('[data-testid=import-form] input[name=csv]', { name: 'cn-2027.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.fill('[data-testid=import-form] textarea[name=reason]', '浏览器测试导入');
	await page.click('[data-testid=import-submit]');
	await page.click('[data-testid=confirm-ok]');
	await page.waitForSelector('.toast-success');
	await page.waitForSelector('[data-testid=calendar-banner] .alert-success');
	equal(await page.getAttribute('[data-date="2027-01-01"]', 'data-kind'), 'holiday', '2027-01-01');
	equal(await page.getAttribute('[data-date="2027-01-09"]', 'data-kind'), 'workday', '2027-01-09 (a Saturday worked)');
	await shot(page, '16-calendar-2027-imported');
});

await test('X1 an admin renames the organisation; the navigation follows', async () => {
	await open(page, '/organisation');
	await page.click('[data-testid=org-rename]');
	await page.fill('[data-testid=org-form] input[name=name]', '华安燃气有限公司（浏览器测试）');
	await page.click('[data-testid=org-save]');
	await page.waitForSelector('[data-testid=org-dialog]', { state: 'detached' });
	equal(await text(page, '[data-testid=org-name-value]'), '华安燃气有限公司（浏览器测试）', 'details');
	equal(await text(page, '[data-testid=org-name]'), '华安燃气有限公司（浏览器测试）', 'navigation');
});

await test('X2 a field worker sees only the pages their permissions allow', async () => {
	const ctx = await newContext();
	const p = await ctx.newPage();
	await loginOk(p, 'gas.field-worker');
	const nav = await navLabels(p);
	/* sites are readable by anyone signed in; households only through assignments (later) */
	equal(JSON.stringify(nav.sort()), JSON.stringify(['/', '/calendar', '/organisation', '/roles', '/sites'].sort()), 'menu');
	await shot(p, '17-field-worker-home');
	for (const path of ['/users', '/audit', '/jobs', '/households', '/staff', '/import']) {
		await open(p, path);
		await p.waitForSelector('[data-testid=forbidden]');
	}
	await open(p, '/organisation');
	equal(await p.locator('[data-testid=org-rename]').count(), 0, 'no rename button');
	await open(p, '/calendar');
	equal(await p.locator('[data-testid=import-form]').count(), 0, 'no calendar import');
	await ctx.close();
});

await test('X2 an auditor sees no admin pages and no write buttons', async () => {
	const ctx = await newContext();
	const p = await ctx.newPage();
	await loginOk(p, 'gas.auditor');
	const nav = await navLabels(p);
	assert(nav.includes('/audit') && nav.includes('/users'), `auditor reads accounts and the audit log: ${nav}`);
	assert(!nav.includes('/jobs'), 'no jobs page in the menu');
	await open(p, '/users');
	await p.waitForSelector('[data-testid=users-list] tbody tr');
	equal(await p.locator('[data-testid=user-new]').count(), 0, 'no create button');
	equal(await p.locator('[data-testid=user-edit]').count(), 0, 'no edit buttons');
	equal(await p.locator('[data-testid=users-list] th:has-text("手机号")').count(), 0, 'no phone column');
	await shot(p, '18-auditor-users');
	await open(p, '/jobs');
	await p.waitForSelector('[data-testid=forbidden]');
	await shot(p, '19-auditor-forbidden');
	await ctx.close();
});

await test('a user created with must_change_password is forced to change it first', async () => {
	const ctx = await newContext();
	const p = await ctx.newPage();
	await login(p, newUser, newPassword);
	await p.waitForSelector('[data-testid=forced-password]');
	await shot(p, '20-forced-password');
	await p.goto(`${BASE}/#/users`);
	await p.waitForSelector('[data-testid=forced-password]');
	assert(p.url().endsWith('#/password'), `held on the password page: ${p.url()}`);
	const f = p.locator('[data-testid=password-form]');
	await f.locator('input[name=current_password]').fill(newPassword);
	await f.locator('input[name=new_password]').fill('Better#2026');
	await f.locator('input[name=confirm]').fill('Better#2027');
	await p.click('[data-testid=password-submit]');
	await f.locator('.form-item[data-field=confirm].has-error').waitFor();
	await f.locator('input[name=confirm]').fill('Better#2026');
	await p.click('[data-testid=password-submit]');
	await p.waitForSelector('.layout .page-title');
	assert((await text(p, '.page-title')).includes('测试员丙'), 'home page after the change');
	equal(JSON.stringify((await navLabels(p)).sort()), JSON.stringify(['/', '/calendar', '/organisation', '/roles', '/sites'].sort()), 'field worker menu');
	await ctx.close();
});

await test('phone-size viewport (390x844): log in, open the nav menu, open the users page', async () => {
	const ctx = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
	const p = await ctx.newPage();
	await loginOk(p, 'gas.admin');
	assert(!(await p.isVisible('.sider .nav')) || (await p.evaluate(() => document.querySelector('.sider').getBoundingClientRect().right <= 0)), 'navigation hidden at first');
	await shot(p, '21-phone-home', false);
	await p.click('[data-testid=nav-toggle]');
	await p.waitForFunction(() => document.body.classList.contains('nav-open') && document.querySelector('.sider').getBoundingClientRect().left >= 0);
	await p.waitForTimeout(300); /* slide-in */
	await shot(p, '22-phone-nav-open', false);
	await p.click('.nav [data-nav="/users"]');
	await p.waitForFunction(() => document.querySelector('.content .page-title')?.textContent === '账号管理');
	await p.waitForSelector('[data-testid=users-list] tbody tr');
	await p.waitForFunction(() => !document.body.classList.contains('nav-open'));
	const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert(overflow <= 0, `page wider than the screen by ${overflow}px`);
	assert(!(await p.isVisible('[data-testid=users-filter] select[name=role]')), 'extra filters folded away on a phone');
	await p.click('[data-testid=filter-toggle]');
	assert(await p.isVisible('[data-testid=users-filter] select[name=role]'), 'more filters unfold');
	await p.click('[data-testid=filter-toggle]');
	await p.waitForTimeout(300);
	await shot(p, '23-phone-users', false);
	await p.click('[data-testid=user-new]');
	await p.waitForSelector('[data-testid=user-create]');
	await p.waitForTimeout(300);
	const w = await p.$eval('[data-testid=user-create]', (e) => e.getBoundingClientRect().width);
	equal(Math.round(w), 390, 'drawer width on a phone');
	await shot(p, '24-phone-create-drawer', false);
	await ctx.close();
});

await test('an ended session sends the user back to sign in, then to the page asked for', async () => {
	const ctx = await newContext();
	const p = await ctx.newPage();
	await loginOk(p, 'gas.manager');
	await ctx.clearCookies(); /* as if the session had expired on the server */
	await p.click('.nav [data-nav="/users"]');
	await p.waitForSelector('[data-testid=login-form]');
	assert((await text(p, '.toast-warning')).includes('登录已失效'), 'session-ended message');
	await p.fill('[data-testid=login-form] input[name=username]', 'gas.manager');
	await p.fill('[data-testid=login-form] input[name=password]', PASSWORD);
	await p.click('[data-testid=login-submit]');
	await p.waitForFunction(() => document.querySelector('.content .page-title')?.textContent === '账号管理');
	await ctx.close();
});

/* ---- master data: sites, households, staff, import, export ---- */

const MASTER_PAGES = [
	['/sites', '25-sites', '小区楼栋'],
	['/households', '26-households', '住户档案'],
	['/staff', '27-staff', '人员档案'],
	['/import', '28-import', '数据导入'],
];
await test('master-data pages open from the navigation, with breadcrumb and title', async () => {
	await open(page, '/');
	const nav = await navLabels(page);
	for (const [path] of MASTER_PAGES) assert(nav.includes(path), `admin menu has ${path}`);
	assert((await text(page, '.nav')).includes('基础数据'), 'the master-data group in the navigation');
	for (const [path, name, title] of MASTER_PAGES) {
		await page.click(`.nav [data-nav="${path}"]`);
		await page.waitForFunction((t) => document.querySelector('.content .page-title')?.textContent === t, title);
		await page.waitForFunction(() => !document.querySelector('.content [aria-busy=true]') && !document.querySelector('.content .loading'));
		equal(await text(page, '.breadcrumb .crumb:last-child'), title, `breadcrumb of ${path}`);
		equal(await text(page, '.breadcrumb .crumb:nth-child(2)'), '基础数据', `group in the breadcrumb of ${path}`);
		await assertCleanText(page, path);
		await shot(page, name);
	}
});

/* Waits for a list to finish (re)loading after a search or a page change. */
const settled = (p) => p.waitForFunction(() => !document.querySelector('.content [aria-busy=true]') && !document.querySelector('.content .loading'));
const digits = (s) => Number(String(s).replace(/[^\d]/g, ''));

await test('X1 the site tree opens estate → building → unit and filters households by site', async () => {
	await open(page, '/sites');
	const estate = page.locator('[data-testid=site-tree] .tree > .tree-item[data-kind=estate]:not([data-children="0"])').first();
	await estate.waitFor();
	const estateName = await estate.locator('.tree-name').first().textContent();
	await estate.locator('.tree-row').first().locator('[data-testid=site-toggle]').click();
	equal(await estate.locator('.tree-row').first().locator('[data-testid=site-toggle]').getAttribute('aria-expanded'), 'true', 'estate expanded');
	const building = estate.locator('.tree-item[data-kind=building]:not([data-children="0"])').first();
	await building.waitFor();
	const buildingName = await building.locator('.tree-name').first().textContent();
	await building.locator('.tree-row').first().locator('[data-testid=site-toggle]').click();
	await building.locator('.tree-item[data-kind=unit]').first().waitFor();
	const withHouseholds = building.locator('.tree-item[data-kind=unit]:not([data-households="0"])');
	const unit = (await withHouseholds.count()) ? withHouseholds.first() : building.locator('.tree-item[data-kind=unit]').first();
	const unitName = await unit.locator('.tree-name').textContent();
	const unitId = await unit.getAttribute('data-site');
	await unit.locator('[data-testid=site-open]').click();
	await page.waitForFunction((n) => document.querySelector('[data-testid=site-detail] [data-testid=site-name]')?.textContent === n, unitName);
	const path = await text(page, '[data-testid=site-detail] [data-testid=site-path]');
	equal(path.split(' / ').length, 3, `a unit's path has three levels: ${path}`);
	assert(path.startsWith(estateName) && path.includes(buildingName) && path.endsWith(unitName), `path ${path} is ${estateName} / ${buildingName} / ${unitName}`);
	const count = digits(await text(page, '[data-testid=site-detail] [data-testid=site-households-count]'));
	assert(count > 0, 'the demo unit has households');
	await assertCleanText(page, 'site tree');
	await shot(page, '29-sites-tree-open');
	await page.click('[data-testid=site-detail] [data-testid=site-households]');
	await page.waitForSelector('.view[data-page="/households"] [data-testid=households-list]');
	assert(page.url().includes(`site_id=${unitId}`), `households page filtered by the unit: ${page.url()}`);
	await settled(page);
	await page.waitForFunction((id) => document.querySelector('[data-testid=hh-site-filter] select[data-level=unit]')?.value === id, unitId);
	equal(digits(await text(page, '[data-testid=pager-total]')), count, 'the households listed are those the unit counts');
	const picked = await page.$$eval('[data-testid=hh-site-filter] select', (s) => s.filter((x) => !x.hidden).map((x) => x.options[x.selectedIndex].textContent));
	equal(JSON.stringify(picked), JSON.stringify([estateName, buildingName, unitName]), 'the site filter shows estate, building and unit');
	await shot(page, '30-households-by-site');
});

await test('X7 households: search a two-character name and open the household', async () => {
	await open(page, '/households');
	const first = page.locator('[data-testid=households-list] tbody tr').first();
	await first.waitFor();
	const name = (await first.locator('[data-testid=hh-name]').textContent()).trim();
	const q = [...name].slice(0, 2).join('');
	await page.fill('[data-testid=households-filter] input[name=q]', q);
	await page.click('[data-testid=filter-search]');
	await settled(page);
	const names = await page.$$eval('[data-testid=households-list] tbody [data-testid=hh-name]', (r) => r.map((x) => x.textContent.trim()));
	assert(names.length > 0, `households found for "${q}"`);
	for (const n of names) assert(n.startsWith(q) || n.slice(1).startsWith(q), `"${n}" begins (or its given name begins) with "${q}"`);
	assert(names.includes(name), `${name} is among the results`);
	equal(await page.locator('[data-testid=households-list] th.sortable').count(), 0, 'a search answers in id order: no sorting while it is on');
	const row = page.locator('[data-testid=households-list] tbody tr').filter({ has: page.locator(`[data-testid=hh-name]:text-is("${name}")`) }).first();
	const account = (await row.locator('[data-testid=hh-open]').textContent()).trim();
	await row.locator('[data-testid=hh-open]').click();
	const d = page.locator('[data-testid=hh-detail]');
	await d.locator('[data-testid=hh-detail-account]').waitFor();
	equal(await d.locator('[data-testid=hh-detail-name]').textContent(), name, 'the detail shows the household');
	equal(await d.locator('[data-testid=hh-detail-account]').textContent(), account, 'account number');
	for (const label of ['用户类别', '表具位置', '表具类型', '电话', '身份证号', '地址']) assert((await d.textContent()).includes(label), `detail shows ${label}`);
	await assertCleanText(page, 'household detail');
	await shot(page, '31-household-detail', false);
	await page.keyboard.press('Escape');
	await d.waitFor({ state: 'detached' });
	/* a search that matches more than the server counts shows "1000+" */
	const wide = await page.evaluate(async () => {
		const s = (await (await fetch('/api/v1/sites?limit=1')).json()).items[0].name;
		const r = await (await fetch(`/api/v1/households?q=${encodeURIComponent(s)}&limit=1`)).json();
		return { q: s, total: r.total, exact: r.total_exact !== false };
	});
	await page.fill('[data-testid=households-filter] input[name=q]', wide.q);
	await page.click('[data-testid=filter-search]');
	await settled(page);
	equal(await text(page, '[data-testid=pager-total]'), wide.exact ? `共 ${wide.total} 条` : `共 ${wide.total}+ 条`, `total for "${wide.q}"`);
});

await test('X5 a household phone is masked until revealed', async () => {
	await open(page, '/households');
	const row = page.locator('[data-testid=households-list] tbody tr').filter({ hasText: /\d\*{3,}\d/ }).first();
	await row.waitFor();
	const listed = await row.locator('td').nth(2).textContent();
	assert(/^\d{3}\*+\d{4}$/.test(listed.replace(/\s/g, '')), `masked in the list: ${listed}`);
	const id = await row.getAttribute('data-key');
	await row.locator('[data-testid=hh-open]').click();
	const d = page.locator('[data-testid=hh-detail]');
	await d.locator('[data-testid=hh-phone]').waitFor();
	const masked = await d.locator('[data-testid=hh-phone]').textContent();
	assert(masked.includes('*'), `masked in the detail: ${masked}`);
	await d.locator('[data-testid=hh-phone-reveal]').click();
	await page.waitForFunction(() => !document.querySelector('[data-testid=hh-detail] [data-testid=hh-phone]').textContent.includes('*'));
	const full = await d.locator('[data-testid=hh-phone]').textContent();
	assert(/^[\d +-]+$/.test(full) && full.replace(/\D/g, '').slice(-4) === masked.replace(/\D/g, '').slice(-4), `revealed: ${full} (was ${masked})`);
	equal(await d.locator('[data-testid=hh-phone-reveal]').count(), 0, 'the button goes once the number shows');
	await shot(page, '32-household-phone-revealed', false);
	await page.keyboard.press('Escape');
	/* the view is in the audit trail */
	await open(page, '/audit');
	await page.selectOption('[data-testid=audit-filter] select[name=action]', 'view_personal');
	await page.click('[data-testid=filter-search]');
	await page.waitForSelector(`[data-testid=audit-list] tbody tr:has([data-action=view_personal]) [data-entity^="household"][data-entity$=":${id}"]`);
	/* an auditor reads households but never sees a phone in full */
	const ctx = await newContext();
	const p = await ctx.newPage();
	await loginOk(p, 'gas.auditor');
	await open(p, `/households?id=${id}`);
	await p.locator('[data-testid=hh-detail] [data-testid=hh-detail-account]').waitFor();
	for (const f of ['hh-phone', 'hh-phone2', 'hh-id-number']) {
		const el = p.locator(`[data-testid=hh-detail] [data-testid=${f}]`);
		const shown = (await el.count()) ? await el.textContent() : '';
		assert(!/\d{5}/.test(shown), `${f} masked or left out for the auditor: ${shown}`);
	}
	equal(await p.locator('[data-testid=hh-detail] [data-testid$=-reveal]').count(), 0, 'no reveal button for the auditor');
	equal(await p.locator('[data-testid=hh-new]').count(), 0, 'no create button for the auditor');
	equal(await p.locator('[data-testid=hh-edit]').count(), 0, 'no edit buttons for the auditor');
	await ctx.close();
});

const badAccount = `UI-${stamp}`;
await test('X6 import: a CSV with a bad row shows the row-level errors and writes nothing', async () => {
	await open(page, '/import');
	await page.check('[data-testid=import-form] input[type=radio][value=households]');
	const csv = `户号,户名,电话,用户类别\r\n${badAccount}-1,导入测试甲,13900001111,居民\r\n${badAccount}-2,导入测试乙,13900002222,居委\r\n`;
	await page.setInputFiles('[data-testid=import-form] input[type=file]', { name: 'bad-row.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.waitForSelector('[data-testid=import-file-name]:has-text("bad-row.csv")');
	await page.click('[data-testid=import-submit]');
	await page.waitForSelector('[data-testid=import-errors] tbody tr');
	const rows = await page.$$eval('[data-testid=import-errors] tbody tr', (r) => r.map((x) => [...x.querySelectorAll('td')].map((td) => td.textContent.trim())));
	equal(rows.length, 1, 'one bad row');
	equal(rows[0][0], '3', 'the line of the bad row');
	equal(rows[0][1], '用户类别', 'the column of the bad row');
	assert(rows[0][2].includes('居委'), `the message names the bad value: ${rows[0][2]}`);
	equal(await page.getAttribute('[data-testid=import-meta]', 'data-committed'), 'false', 'nothing committed');
	assert((await text(page, '[data-testid=import-report] .alert-error')).includes('未写入'), 'the report says nothing was written');
	await assertCleanText(page, 'import report');
	await shot(page, '33-import-errors');
	/* the good row was not written either */
	await open(page, `/households?q=${badAccount}`);
	await page.waitForSelector('[data-testid=households-list] .empty');
});

await test('X7 export households as CSV and import it back: nothing changes', async () => {
	await open(page, '/households');
	const total = digits(await text(page, '[data-testid=pager-total]'));
	assert(total > 0, 'there are households to export');
	const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=hh-export-csv]')]);
	const file = readFileSync(await download.path());
	assert(download.suggestedFilename().endsWith('.csv'), `file name: ${download.suggestedFilename()}`);
	equal(file.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 BOM for Excel');
	const header = file.toString('utf8').slice(1).split(/\r?\n/)[0];
	assert(header.includes('户号') && header.includes('户名') && header.includes('用户类别'), `Chinese headers: ${header}`);
	assert(!/1[3-9]\d{9}/.test(file.toString('utf8')), 'no phone number in full in the export');
	await page.waitForSelector('.toast-success');
	/* the XLSX export is a zip */
	const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=hh-export-xlsx]')]);
	assert(xlsx.suggestedFilename().endsWith('.xlsx'), `xlsx file name: ${xlsx.suggestedFilename()}`);
	equal(readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK', 'xlsx is a zip file');
	await open(page, '/import');
	await page.setInputFiles('[data-testid=import-form] input[type=file]', { name: download.suggestedFilename(), mimeType: 'text/csv', buffer: file });
	await page.click('[data-testid=import-submit]');
	await page.waitForSelector('[data-testid=import-report] [data-testid=import-rows]');
	const n = async (id) => digits(await text(page, `[data-testid=${id}] .stat-value`));
	equal(await n('import-rows'), total, 'every exported household is a row');
	equal(await n('import-inserted'), 0, 'inserted');
	equal(await n('import-updated'), 0, 'updated');
	equal(await n('import-unchanged'), total, 'unchanged');
	equal(await n('import-rejected'), 0, 'rejected');
	equal(await page.locator('[data-testid=import-errors]').count(), 0, 'no errors');
	await shot(page, '34-import-roundtrip');
});

await test('S1 staff: create a staff member in the drawer, find them in the list, upload their photo', async () => {
	const staffNo = `S-UI${stamp}`;
	await open(page, '/staff');
	await page.click('[data-testid=staff-new]');
	const d = page.locator('[data-testid=staff-create]');
	await d.locator('input[name=staff_no]').waitFor();
	await d.locator('input[name=staff_no]').fill(staffNo);
	await d.locator('input[name=name]').fill('测试安检员');
	await d.locator('select[name=employment]').selectOption('subcontractor');
	await d.locator('input[name=employer]').fill('测试劳务有限公司');
	await d.locator('select[name=level]').selectOption('middle');
	await d.locator('input[name=job_types][value=inspector]').check();
	await d.locator('input[name=job_types][value=repairer]').check();
	await d.locator('input[name=phone]').fill('13700001234');
	await shot(page, '35-staff-create-drawer', false);
	await page.click('[data-testid=staff-submit]');
	await d.waitFor({ state: 'detached' });
	await page.waitForSelector('.toast-success');
	await page.fill('[data-testid=staff-filter] input[name=q]', staffNo);
	await page.click('[data-testid=filter-search]');
	await page.waitForFunction(() => document.querySelector('[data-testid=pager-total]')?.textContent === '共 1 条');
	const row = await text(page, '[data-testid=staff-list] tbody tr');
	for (const s of [staffNo, '测试安检员', '分包', '安检员', '维修员', '中级', '候选', '137****1234']) assert(row.includes(s), `row shows ${s}: ${row}`);
	await page.click('[data-testid=staff-list] [data-testid=staff-open]');
	await page.locator('[data-testid=staff-detail] [data-testid=staff-phone-reveal]').click();
	await page.waitForFunction(() => document.querySelector('[data-testid=staff-detail] [data-testid=staff-phone]')?.textContent === '13700001234');
	/* S1 the photo the badge will print: uploaded from the detail, shown there */
	const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478' +
		'9c63f8cfc00000030101001' + '8dd8db00000000049454e44ae426082', 'hex');
	await page.locator('[data-testid=staff-detail] [data-testid=staff-photo-input]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
	await page.waitForSelector('.toast-success');
	const img = page.locator('[data-testid=staff-detail] img[data-testid=staff-photo]');
	await img.waitFor();
	await page.waitForFunction(() => document.querySelector('[data-testid=staff-detail] img[data-testid=staff-photo]')?.naturalWidth === 1);
	await page.keyboard.press('Escape');
});

await test('users and audit pages export CSV and XLSX with the current filters', async () => {
	await open(page, '/users?status=active');
	for (const [format, magic] of [['csv', 'efbbbf'], ['xlsx', '504b']]) {
		let asked = '';
		const onReq = (r) => {
			if (r.url().includes('/api/v1/users?')) asked = r.url();
		};
		page.on('request', onReq);
		const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=users-export-${format}]`)]);
		page.off('request', onReq);
		assert(asked.includes(`format=${format}`) && asked.includes('status=active'), `export asks with the filter: ${asked}`);
		assert(dl.suggestedFilename().endsWith(`.${format}`), `users file name: ${dl.suggestedFilename()}`);
		equal(readFileSync(await dl.path()).subarray(0, magic.length / 2).toString('hex'), magic, `users ${format} content`);
	}
	await open(page, '/audit');
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=audit-export-csv]')]);
	assert(dl.suggestedFilename().endsWith('.csv'), `audit file name: ${dl.suggestedFilename()}`);
	equal(readFileSync(await dl.path()).subarray(0, 3).toString('hex'), 'efbbbf', 'audit CSV with a BOM');
});

await test('phone-size viewport (390x844): the households list and the site tree', async () => {
	const ctx = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
	const p = await ctx.newPage();
	await loginOk(p, 'gas.admin');
	await open(p, '/households');
	await p.waitForSelector('[data-testid=households-list] tbody tr');
	const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert(overflow <= 0, `households page wider than the screen by ${overflow}px`);
	assert(!(await p.isVisible('[data-testid=households-filter] select[name=category]')), 'extra filters folded away on a phone');
	await shot(p, '36-phone-households', false);
	await open(p, '/sites');
	await p.locator('.tree > .tree-item:not([data-children="0"]) [data-testid=site-toggle]').first().click();
	await p.waitForSelector('.tree-item[data-kind=building]');
	await p.locator('.tree-item[data-kind=building] [data-testid=site-open]').first().click();
	await p.waitForSelector('[data-testid=site-households]');
	const overflow2 = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert(overflow2 <= 0, `sites page wider than the screen by ${overflow2}px`);
	await p.waitForTimeout(500); /* the details scroll into view */
	await shot(p, '37-phone-sites', false);
	await ctx.close();
});

await test('sign out from the user menu', async () => {
	await open(page, '/');
	await page.click('[data-testid=user-menu]');
	await page.click('[data-testid=menu-signout]');
	await page.waitForSelector('[data-testid=login-form]');
	await page.goto(`${BASE}/#/users`);
	await page.waitForSelector('[data-testid=login-form]');
	assert(page.url().includes('#/login?next='), `back to the login page: ${page.url()}`);
	/* signing in again returns to the page asked for */
	await page.fill('[data-testid=login-form] input[name=username]', 'gas.admin');
	await page.fill('[data-testid=login-form] input[name=password]', PASSWORD);
	await page.click('[data-testid=login-submit]');
	await page.waitForFunction(() => document.querySelector('.content .page-title')?.textContent === '账号管理');
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
