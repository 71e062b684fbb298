/*
 * fieldstaff.js — what makes a worker fit to enter a home (SPEC S2–S6),
 * shown the same way on every page: the hiring steps in their order, the
 * code lists of docs/api.md ("Field staff"), a certificate's state (red
 * when it has run out, amber within 30 days), the eligibility answer (per
 * job: may be sent, or every reason why not, and the warnings), the badge
 * card with its QR code, and printing one part of a page.
 *
 * The QR code arrives as SVG text (qr_svg). It is shown through an <img>
 * with a data: URL, never parsed into the page: an image cannot run a
 * script or touch the document, whatever the text holds.
 */
import { h, icon } from './dom.js';
import { t } from './i18n.js';
import { tag } from './ui.js';

export const STEPS = ['application', 'documents', 'interview', 'health_check', 'background_check', 'contract', 'nda', 'pre_job_training'];
/* the pipeline's stages (core/fieldstaff.c hiring_order_check, which
 * decides): a step is decided once every step of the stages before it
 * has passed; the checks, and the contract and NDA, in either order */
export const STEP_STAGE = { application: 0, documents: 1, interview: 2, health_check: 3, background_check: 3, contract: 4, nda: 4, pre_job_training: 5 };
/* The steps before step's stage not passed yet, given {step: result}. */
export function stepsWaitedFor(step, results) {
	return STEPS.filter((s) => STEP_STAGE[s] < STEP_STAGE[step] && results[s] !== 'passed');
}
export const DOC_KINDS = ['id_card', 'hukou', 'diploma', 'certificate', 'health', 'background', 'contract', 'nda', 'exam', 'evidence', 'other'];
/* the kinds that print the ID number in full: opened only by those who may
 * see ID numbers in full (admin, manager), not by an auditor (docs/api.md) */
export const ID_DOC_KINDS = ['id_card', 'hukou', 'background', 'contract'];
export const DOC_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
export const DOC_MAX = 8 * 1024 * 1024;
export const CERT_TYPES = ['health', 'gas_safety', 'electrician', 'welder', 'domestic', 'care', 'other'];
export const TRAINING_KINDS = ['pre_job', 'in_service', 'safety', 'annual'];
export const TRAINING_MODES = ['online', 'offline', 'drill'];
export const EXAMS = ['none', 'passed', 'failed'];
export const DISCIPLINE_KINDS = ['commendation', 'bonus', 'criticism', 'warning', 'fine', 'demerit', 'major_demerit', 'demotion', 'suspension', 'reinstatement', 'dismissal', 'blacklist'];
/* kinds that end the worker's service: asked again before they are sent */
export const GRAVE_KINDS = ['dismissal', 'blacklist'];
/* kinds that carry an amount (fen) */
export const MONEY_KINDS = ['fine', 'bonus'];
/* entries that change the worker (a status, a level): never annulled,
 * as the server refuses (core/fieldstaff.c discipline_annullable) */
export const EFFECT_KINDS = ['demotion', 'suspension', 'reinstatement', 'dismissal', 'blacklist'];
/* sanctions that stand on evidence, a text or a document (the server's
 * h_hiring.c unproven) */
export const EVIDENCE_KINDS = ['demotion', 'suspension', 'dismissal', 'blacklist'];
export const RETURN_ITEMS = ['badge', 'property'];
export const ASSIGNMENT_STATUSES = ['assigned', 'cancelled'];
/* days ahead a certificate counts as ending soon (the server's ELIG_WARN_DAYS) */
export const WARN_DAYS = 30;

const DISCIPLINE_COLOR = {
	commendation: 'green',
	bonus: 'green',
	reinstatement: 'cyan',
	criticism: 'orange',
	warning: 'orange',
	fine: 'orange',
	demerit: 'red',
	major_demerit: 'red',
	demotion: 'red',
	suspension: 'red',
	dismissal: 'red',
	blacklist: 'red',
};

export const opts = (prefix, codes) => codes.map((c) => ({ value: c, label: t(`${prefix}.${c}`) }));

export const disciplineTag = (k) => tag(t(`fs.discipline.${k}`), DISCIPLINE_COLOR[k] || 'default', { 'data-kind': k });

export function resultTag(result) {
	if (result === 'passed') return tag(t('fs.result.passed'), 'green', { 'data-result': 'passed' });
	if (result === 'failed') return tag(t('fs.result.failed'), 'red', { 'data-result': 'failed' });
	return tag(t('fs.result.pending'), 'default', { 'data-result': 'none' });
}

/* Whether another of the certificates `all` renews c: of its type, not
 * revoked, ending later and valid from c's last day or the day after —
 * as the server leaves it off the expiring list (store_cert.c). */
function renewed(c, all) {
	const next = new Date(`${c.valid_to}T00:00:00Z`);
	next.setUTCDate(next.getUTCDate() + 1);
	const dayAfter = next.toISOString().slice(0, 10);
	return all.some((n) => n !== c && n.type === c.type && !n.revoked && n.valid_to > c.valid_to && n.valid_from <= dayAfter);
}

/*
 * A certificate's state today: revoked, expired (red), not yet valid,
 * ending within 30 days (amber) or valid (green), from the server's
 * `valid` and `days_left`; given the worker's other certificates (all),
 * one that ends or has ended but is renewed is "renewed", not a warning.
 */
export function certState(c, all = null) {
	if (c.revoked) return { state: 'revoked', color: 'default', label: t('fs.cert.revoked') };
	if (all && c.days_left <= WARN_DAYS && renewed(c, all)) return { state: 'renewed', color: 'default', label: t('fs.cert.renewed') };
	if (c.days_left < 0) return { state: 'expired', color: 'red', label: t('fs.cert.expired', { n: -c.days_left }) };
	if (!c.valid) return { state: 'pending', color: 'blue', label: t('fs.cert.notYet') };
	if (c.days_left <= WARN_DAYS) return { state: 'expiring', color: 'orange', label: c.days_left === 0 ? t('fs.cert.lastDay') : t('fs.cert.daysLeft', { n: c.days_left }) };
	return { state: 'valid', color: 'green', label: t('fs.cert.valid', { n: c.days_left }) };
}

export function certBadge(c, all = null) {
	const s = certState(c, all);
	return tag(s.label, s.color, { 'data-cert-state': s.state, 'data-testid': 'cert-state' });
}

/* Bytes as "12 KB" / "1.4 MB". */
export function fmtSize(n) {
	if (n < 1024) return t('import.bytes', { n });
	if (n < 1024 * 1024) return t('import.kib', { n: Math.round(n / 1024) });
	return t('import.mib', { n: (n / 1024 / 1024).toFixed(1) });
}

/* Fen as yuan: 12345 → "¥123.45". */
export function fmtYuan(fen) {
	return t('fs.yuan', { n: (Number(fen) / 100).toFixed(2) });
}

/*
 * The eligibility answer (GET /staff/:id/eligibility, or the personal
 * file's `eligibility`): one block per job the worker does.
 */
export function eligibilityView(elig) {
	const jobs = (elig && elig.jobs) || [];
	if (!jobs.length) return h('p', { class: 'text-secondary', 'data-testid': 'elig-none' }, t('fs.elig.noJobs'));
	return h(
		'ul',
		{ class: 'elig-list', 'data-testid': 'eligibility' },
		jobs.map((j) => h('li', { class: ['elig-item', j.eligible ? 'is-ok' : 'is-no'], 'data-job': j.job_type, 'data-eligible': String(j.eligible) }, eligibilityBody(j, t(`staff.job.${j.job_type}`)))),
	);
}

/* One job's answer: the verdict, every reason, every warning. */
export function eligibilityBody(j, title) {
	const head = h(
		'div',
		{ class: 'elig-head' },
		icon(j.eligible ? 'check' : 'error', j.eligible ? 'text-success' : 'text-error'),
		h('strong', null, title),
		j.level ? h('span', { class: 'text-secondary small' }, t('fs.elig.level', { level: t(`staff.level.${j.level}`) })) : null,
		tag(j.eligible ? t('fs.elig.yes') : t('fs.elig.no'), j.eligible ? 'green' : 'red', { 'data-testid': 'elig-verdict' }),
	);
	return [
		head,
		(j.reasons || []).length ? h('ul', { class: 'elig-reasons', 'data-testid': 'elig-reasons' }, j.reasons.map((r) => h('li', { 'data-code': r.code }, r.message))) : null,
		(j.warnings || []).length ? h('ul', { class: 'elig-warnings', 'data-testid': 'elig-warnings' }, j.warnings.map((w) => h('li', { 'data-code': w.code }, icon('warn'), ' ', w.message))) : null,
	];
}

/* A list of reasons (a refused assignment) as the same list the personal file shows. */
export function reasonList(reasons, testid = 'reasons') {
	return h('ul', { class: 'elig-reasons', 'data-testid': testid }, (reasons || []).map((r) => h('li', { 'data-code': r.code }, r.message)));
}

function qrImage(svg, alt) {
	if (typeof svg !== 'string' || !svg) return h('div', { class: 'badge-qr is-empty' });
	return h('img', { class: 'badge-qr', src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt, 'data-testid': 'badge-qr' });
}

/*
 * The badge card (GET /staff/:id/badge, or the worker's own /my/badge)
 * as it is printed: 54 × 85.6 mm, organisation, photo (from photoUrl),
 * name, level, employer, badge number and the QR code that opens the
 * public check page.
 */
export function badgeCard(b, photoUrl) {
	const photo = b.photo
		? h('img', { class: 'badge-photo', src: photoUrl, alt: t('fs.badge.photoOf', { name: b.name }), 'data-testid': 'badge-photo' })
		: h('div', { class: 'badge-photo is-empty', 'aria-hidden': 'true' }, icon('user'));
	const row = (label, value, testid) => h('div', { class: 'badge-row' }, h('dt', null, label), h('dd', { 'data-testid': testid }, value || t('common.none')));
	return h(
		'article',
		{ class: 'badge-card', 'data-testid': 'badge-card', 'aria-label': t('fs.badge.cardLabel', { name: b.name }) },
		h('header', { class: 'badge-head' }, h('div', { class: 'badge-org' }, b.organisation), h('div', { class: 'badge-kind' }, t('fs.badge.title'))),
		h('div', { class: 'badge-media' }, photo, qrImage(b.qr_svg, t('fs.badge.qrAlt'))),
		h('div', { class: 'badge-name', 'data-testid': 'badge-name' }, b.name),
		h('dl', { class: 'badge-fields' }, row(t('fs.badge.level'), b.level_label, 'badge-level'), row(t('fs.badge.employer'), b.employer, 'badge-employer'), row(t('fs.badge.no'), b.badge_no, 'badge-no')),
		h('footer', { class: 'badge-foot' }, t('fs.badge.scan')),
	);
}

/*
 * Prints one node alone (the badge card): a copy goes into a print root
 * at the end of <body>, the print stylesheet hides everything else while
 * body has .is-printing-part, and both go once printing is over.
 */
export function printOnly(node) {
	const root = h('div', { class: 'print-root', 'data-testid': 'print-root' }, node.cloneNode(true));
	document.body.appendChild(root);
	document.body.classList.add('is-printing-part');
	let done = false;
	const finish = () => {
		if (done) return;
		done = true;
		window.removeEventListener('afterprint', finish);
		root.remove();
		document.body.classList.remove('is-printing-part');
	};
	window.addEventListener('afterprint', finish);
	try {
		window.print();
	} finally {
		/* print() returns when the dialog closes; some browsers skip afterprint */
		setTimeout(finish, 0);
	}
}

/* A link inside the console (a notice's `link`): only "#/…" routes, never another scheme. */
export function safeRoute(link) {
	return typeof link === 'string' && /^#\/[A-Za-z0-9_\-/?=&%.]*$/.test(link) ? link : null;
}

/* A training's columns after its day, as the personal file and the
 * training ledger show them: kind, topic, hours, mode, exam and score. */
export function trainingColumns() {
	return [
		{ key: 'kind', title: t('sf.col.trainingKind'), render: (x) => tag(t(`fs.training.${x.kind}`), x.kind === 'pre_job' ? 'blue' : 'default', { 'data-kind': x.kind }) },
		{ key: 'topic', title: t('sf.col.topic') },
		{ key: 'hours', title: t('sf.col.hours'), nowrap: true, render: (x) => t('sf.hours', { n: x.hours }) },
		{ key: 'mode', title: t('sf.col.mode'), render: (x) => t(`fs.mode.${x.mode}`) },
		{
			key: 'exam',
			title: t('sf.col.exam'),
			render: (x) =>
				h('span', null, x.exam === 'none' ? t('fs.exam.none') : tag(t(`fs.exam.${x.exam}`), x.exam === 'passed' ? 'green' : 'red'), x.score !== null && x.score !== undefined ? h('span', { class: 'text-secondary small' }, ` ${t('sf.score', { n: x.score })}`) : null),
		},
	];
}
