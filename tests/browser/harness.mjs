/*
 * harness.mjs — what the browser test files share (ui.test.mjs,
 * badge.test.mjs): Chromium started once, cases run one after another
 * and counted, every page watched for console errors, page errors,
 * failed requests and server errors (any of which fails the case), a
 * screenshot of every open page when a case fails, and the result line
 * "N passed, N failed" last.
 *
 *   const h = await startHarness({ failPrefix: 'FAIL-badge', closeContexts: true });
 *   await h.test('S5 …', async () => { … h.assert(…) … });
 *   await h.finish();
 *
 * h.bail(err) ends the run at once, as a failure (set-up that went wrong).
 *
 * A case that provokes failures on purpose names them with
 * h.tolerate(/ERR_INTERNET_DISCONNECTED/) (reset before each case).
 * RUHU_ONLY (a regular expression) runs only the cases it matches;
 * RUHU_CHROMIUM names the browser (default /usr/bin/chromium).
 */
import { chromium } from 'playwright-core';
import { join } from 'node:path';

export function assert(cond, msg) {
	if (!cond) throw new Error(`assertion failed: ${msg}`);
}

export function equal(actual, expected, msg) {
	if (actual !== expected) throw new Error(`${msg}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/* shots: where failure screenshots go; failPrefix: their names' start;
 * closeContexts: close every context after each case (else each case
 * closes its own). */
export async function startHarness({ shots, failPrefix = 'FAIL', closeContexts = false }) {
	let passed = 0;
	let failed = 0;
	let tolerated = null;
	const problems = [];
	const only = process.env.RUHU_ONLY ? new RegExp(process.env.RUHU_ONLY) : null;

	/* Whatever breaks outside a case still ends with the result line. */
	const bail = (err) => {
		console.log(`FAIL the test run itself: ${err && err.stack ? err.stack : err}`);
		console.log(`${passed} passed, ${failed + 1} failed`);
		process.exit(1);
	};
	process.on('uncaughtException', bail);
	process.on('unhandledRejection', bail);

	const browser = await chromium
		.launch({
			executablePath: process.env.RUHU_CHROMIUM || '/usr/bin/chromium',
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
		})
		.catch(bail);

	/* Every page of every context reports into `problems`. */
	function watch(page) {
		page.on('console', (m) => {
			if (m.type() !== 'error') return;
			const url = (m.location() && m.location().url) || '';
			if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) && url.includes('/api/')) return;
			if (tolerated && tolerated.test(m.text())) return;
			problems.push(`console error: ${m.text()} ${url}`);
		});
		page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
		page.on('requestfailed', (r) => {
			const f = r.failure();
			if (f && /ERR_ABORTED/.test(f.errorText)) return; /* navigation away */
			if (f && tolerated && tolerated.test(f.errorText)) return;
			problems.push(`request failed: ${r.method()} ${r.url()} ${f ? f.errorText : ''}`);
		});
		page.on('response', (r) => {
			const u = new URL(r.url());
			if (r.status() >= 500) problems.push(`server error ${r.status()}: ${r.request().method()} ${u.pathname}`);
			else if (r.status() >= 400 && !u.pathname.startsWith('/api/')) problems.push(`static file ${r.status()}: ${u.pathname}`);
		});
		return page;
	}

	async function test(name, fn) {
		if (only && !only.test(name)) return;
		problems.length = 0;
		tolerated = null;
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
				for (const p of c.pages()) await p.screenshot({ path: join(shots, `${failPrefix}-${failed}-${++i}.png`), fullPage: true }).catch(() => {});
			console.log(`  ${String(err && err.stack ? err.stack : err).split('\n').slice(0, 8).join('\n  ')}`);
		} finally {
			if (closeContexts) for (const c of browser.contexts()) await c.close().catch(() => {});
		}
	}

	async function finish() {
		await browser.close();
		console.log(`${passed} passed, ${failed} failed`);
		process.exit(failed ? 1 : 0);
	}

	return { browser, test, watch, finish, bail, tolerate: (re) => (tolerated = re) };
}
