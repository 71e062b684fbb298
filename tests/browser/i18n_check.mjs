/*
 * i18n_check.mjs — static checks of the UI's message catalogues:
 *   - zh-CN and en have the same keys, and no empty values;
 *   - every t('key') / tOr('key', …) in web/js names a key that exists
 *     (for t(`prefix.${x}`) at least one key starts with the prefix);
 *   - page code holds no Chinese text outside comments (it all goes
 *     through the catalogue).
 * Exports check(root) → array of problems; run alone it prints them.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

function walk(dir) {
	return readdirSync(dir).flatMap((n) => {
		const p = join(dir, n);
		return statSync(p).isDirectory() ? walk(p) : p.endsWith('.js') ? [p] : [];
	});
}

function stripComments(src) {
	/* good enough for our code: block comments and whole-line // comments */
	return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

export async function check(root) {
	const problems = [];
	const zh = (await import(pathToFileURL(join(root, 'web/i18n/zh-CN.js')))).default;
	const en = (await import(pathToFileURL(join(root, 'web/i18n/en.js')))).default;
	for (const k of Object.keys(zh)) if (!(k in en)) problems.push(`en.js lacks ${k}`);
	for (const k of Object.keys(en)) if (!(k in zh)) problems.push(`zh-CN.js lacks ${k}`);
	for (const [name, cat] of [['zh-CN', zh], ['en', en]])
		for (const [k, v] of Object.entries(cat)) if (typeof v !== 'string' || v === '') problems.push(`${name}: ${k} is empty`);
	const keys = Object.keys(zh);
	for (const file of walk(join(root, 'web/js'))) {
		const rel = relative(root, file);
		const src = stripComments(readFileSync(file, 'utf8'));
		for (const m of src.matchAll(/\b(?:t|tOr)\(\s*'([^']+)'/g)) if (!(m[1] in zh)) problems.push(`${rel}: unknown key '${m[1]}'`);
		for (const m of src.matchAll(/\b(?:t|tOr)\(\s*`([^`$]*)\$\{/g)) if (!keys.some((k) => k.startsWith(m[1]))) problems.push(`${rel}: no key starts with '${m[1]}'`);
		src.split('\n').forEach((line, i) => {
			if (/[\u3400-\u9fff\uff00-\uffef]/.test(line)) problems.push(`${rel}:${i + 1}: Chinese text outside the catalogue: ${line.trim()}`);
		});
	}
	return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const root = process.argv[2] || join(fileURLToPath(new URL('.', import.meta.url)), '../..');
	const problems = await check(root);
	for (const p of problems) console.log(p);
	console.log(problems.length ? `${problems.length} problems` : 'catalogues OK');
	process.exit(problems.length ? 1 : 0);
}
