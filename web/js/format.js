/*
 * format.js — showing times and values. The API speaks epoch seconds; the
 * UI shows them in the organisation's zone (Asia/Shanghai, +08:00 unless the
 * tenant says otherwise) as "YYYY-MM-DD HH:mm", whatever the browser's zone.
 */
import { session } from './session.js';
import { t, tOr } from './i18n.js';

const pad = (n) => String(n).padStart(2, '0');

export function offsetMin() {
	return session.tenant && Number.isFinite(session.tenant.utc_offset_min) ? session.tenant.utc_offset_min : 480;
}

/* A Date whose UTC fields are the organisation's wall clock. */
function wall(epoch) {
	return new Date((epoch + offsetMin() * 60) * 1000);
}

export function fmtDateTime(epoch) {
	if (!epoch) return t('common.none');
	const d = wall(epoch);
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function fmtDateTimeSec(epoch) {
	if (!epoch) return t('common.none');
	return `${fmtDateTime(epoch)}:${pad(wall(epoch).getUTCSeconds())}`;
}

export function fmtDate(epoch) {
	if (!epoch) return t('common.none');
	const d = wall(epoch);
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/* "now" as the value of an <input type=datetime-local> in the org's zone. */
export function nowLocalInput() {
	const d = wall(Math.floor(Date.now() / 1000));
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function todayIso() {
	return nowLocalInput().slice(0, 10);
}

export function currentYear() {
	return Number(todayIso().slice(0, 4));
}

/* Day of week (1 = Monday … 7 = Sunday) of an ISO date, calendar arithmetic only. */
export function isoWeekday(iso) {
	const [y, m, d] = iso.split('-').map(Number);
	const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
	return wd === 0 ? 7 : wd;
}

export function isoDate(y, m, d) {
	return `${y}-${pad(m)}-${pad(d)}`;
}

export function daysInMonth(y, m) {
	return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function isEpochField(key) {
	return /(_at|_until)$/.test(key);
}

export function fmtNumber(n) {
	return Number(n).toLocaleString('en-US');
}

/*
 * A holiday's name from the schedule in the UI's language. A day the
 * schedule gives two festivals ("国庆节、中秋节", 2025-10-01) is translated
 * part by part; a name the catalogue does not know stays as it is.
 */
export function holidayName(name) {
	return String(name || '')
		.split('\u3001')
		.map((part) => tOr(`holiday.${part.trim()}`, part))
		.join(t('holiday.joiner'));
}
