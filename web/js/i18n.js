/*
 * i18n.js — the one way a visible string reaches the page: t(key, params).
 *
 * Catalogues are flat objects (web/i18n/<lang>.js). Chinese is the default;
 * the choice is remembered in localStorage. A key missing from the active
 * catalogue falls back to Chinese, then to the key itself, so a gap shows
 * up on screen instead of as an empty label.
 */
import zh from '../i18n/zh-CN.js';
import en from '../i18n/en.js';

const catalogues = { 'zh-CN': zh, en };
const STORE_KEY = 'ruhu.lang';
let lang = 'zh-CN';

try {
	const saved = localStorage.getItem(STORE_KEY);
	if (saved && catalogues[saved]) lang = saved;
} catch {
	/* storage may be blocked; stay with the default */
}
document.documentElement.lang = lang;

export const languages = ['zh-CN', 'en'];

export function getLang() {
	return lang;
}

/* The Accept-Language value the API is asked to answer in. */
export function apiLang() {
	return lang === 'en' ? 'en' : 'zh-CN';
}

export function setLang(next) {
	if (!catalogues[next]) return;
	lang = next;
	document.documentElement.lang = next;
	try {
		localStorage.setItem(STORE_KEY, next);
	} catch {
		/* not remembered, still switched */
	}
}

export function has(key) {
	return Object.prototype.hasOwnProperty.call(catalogues[lang], key);
}

/*
 * t('users.total', {n: 3}) → "共 3 条"; {name} placeholders are replaced.
 * {name|one|other} is the word for the number in name: "one" when it is 1,
 * else "other" ('{n} {n|row|rows}' → "1 row", "2 rows"); Chinese needs none.
 */
export function t(key, params) {
	let s = catalogues[lang][key];
	if (s === undefined) s = zh[key];
	if (s === undefined) return key;
	if (params) {
		s = s.replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (m, k, one, other) => (params[k] === undefined || params[k] === null ? m : Number(params[k]) === 1 ? one : other));
		s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] === undefined || params[k] === null ? m : String(params[k])));
	}
	return s;
}

/* A catalogue entry when there is one, else the given fallback (server codes
 * such as audit actions that may grow faster than the catalogue). */
export function tOr(key, fallback, params) {
	return has(key) || Object.prototype.hasOwnProperty.call(zh, key) ? t(key, params) : fallback;
}

/* Picks the zh or en member of a server object ({zh, en} or {desc_zh, desc_en}). */
export function pick(obj, base = '') {
	if (!obj) return '';
	const k = base ? `${base}_` : '';
	return lang === 'en' ? obj[`${k}en`] || obj[`${k}zh`] || '' : obj[`${k}zh`] || obj[`${k}en`] || '';
}
