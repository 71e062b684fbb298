/*
 * import.js — bringing households or staff in from the CSV files or
 * Excel workbooks (.xlsx) organisations already keep (SPEC X6, X7): choose what the file holds,
 * pick or drop the file, its encoding (Excel in China saves GBK), and
 * whether one bad row stops the whole file (the default) or only itself;
 * a dry run checks without writing. The file's bytes are the request body
 * (Content-Type text/csv, or the .xlsx type for a workbook; the server
 * reads the bytes either way; options in the query); the answer is a report:
 * the counts, every bad row with its line, column and reason, and in
 * "good rows" mode the rejected rows as a CSV to fix and import again.
 *
 * A template with the documented column names is made here, in the UI's
 * language (the server reads Chinese and English headers alike).
 */
import { h, icon, setChildren } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { upload } from '../api.js';
import { can } from '../session.js';
import { fmtNumber } from '../format.js';
import { Form, button, busy, card, pageHeader, alertBox, dataTable, statCard, saveText, toast } from '../ui.js';

export const COLUMNS = {
	households: ['account_no', 'name', 'phone', 'phone2', 'estate', 'building', 'unit', 'room', 'address', 'category', 'meter_location', 'meter_type', 'meter_no', 'vulnerable', 'group_rental', 'vacant', 'first_conversion', 'id_number', 'status', 'notes'],
	staff: ['staff_no', 'name', 'id_number', 'birth_date', 'phone', 'employment', 'employer', 'job_types', 'level', 'badge_no', 'status', 'notes'],
};
export const REQUIRED = {
	households: ['account_no', 'name', 'category'],
	staff: ['staff_no', 'name', 'employment', 'level'],
};
const KINDS = ['households', 'staff'];
const LIST_PAGE = { households: '#/households', staff: '#/staff' };
const ENCODINGS = ['auto', 'utf-8', 'gbk', 'gb18030'];
const UPLOAD_LIMIT = 32 * 1024 * 1024;

const perm = (kind) => `POST /api/v1/imports/${kind}`;
export const columnName = (kind, col) => t(`import.col.${kind}.${col}`);

/* The template: the header row alone, with a BOM so Excel reads it as UTF-8. */
export function templateCsv(kind) {
	return `${COLUMNS[kind].map((c) => columnName(kind, c)).join(',')}\r\n`;
}

/* An .xlsx upload's type; the server reads the bytes either way. */
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function fmtSize(n) {
	if (n < 1024) return t('import.bytes', { n });
	if (n < 1024 * 1024) return t('import.kib', { n: (n / 1024).toFixed(1) });
	return t('import.mib', { n: (n / 1024 / 1024).toFixed(1) });
}

/* A file input inside a drop zone, as a Form custom control. */
function fileDrop() {
	let file = null;
	const input = h('input', { type: 'file', name: 'file', class: 'sr-only', accept: '.csv,.xlsx,text/csv,text/plain,' + XLSX_TYPE, 'data-testid': 'import-file' });
	const name = h('div', { class: 'dropzone-file', 'data-testid': 'import-file-name' });
	const el = h(
		'label',
		{ class: 'dropzone', 'data-testid': 'import-dropzone' },
		input,
		icon('upload', 'dropzone-icon'),
		h('span', { class: 'dropzone-text' }, t('import.drop')),
		h('span', { class: 'dropzone-hint' }, t('import.dropHint')),
		name,
	);
	const show = () => {
		el.classList.toggle('has-file', Boolean(file));
		setChildren(name, file ? [icon('file'), h('span', null, file.name), h('span', { class: 'text-secondary' }, fmtSize(file.size))] : null);
	};
	input.addEventListener('change', () => {
		file = input.files && input.files[0] ? input.files[0] : null;
		show();
	});
	el.addEventListener('dragover', (e) => {
		e.preventDefault();
		el.classList.add('is-over');
	});
	el.addEventListener('dragleave', () => el.classList.remove('is-over'));
	el.addEventListener('drop', (e) => {
		e.preventDefault();
		el.classList.remove('is-over');
		const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
		if (!f) return;
		file = f;
		show();
		el.dispatchEvent(new Event('change', { bubbles: true }));
	});
	return {
		el,
		get: () => file,
		set: (v) => {
			file = v || null;
			if (!file) input.value = '';
			show();
		},
	};
}

export async function render({ el, query }) {
	const kinds = KINDS.filter((k) => can(perm(k)));
	const first = kinds.includes(query.get('kind')) ? query.get('kind') : kinds[0];
	const drop = fileDrop();
	const submit = button(t('import.submit'), { kind: 'primary', icon: 'upload', type: 'submit', testid: 'import-submit' });
	const form = new Form(
		[
			{ name: 'kind', label: t('import.kind'), type: 'radios', value: first, options: kinds.map((k) => ({ value: k, label: t(`import.kind.${k}`) })) },
			{ name: 'file', label: t('import.file'), type: 'custom', control: drop, required: true },
			{ name: 'encoding', label: t('import.encoding'), type: 'select', value: 'auto', options: ENCODINGS.map((e) => ({ value: e, label: t(`import.encoding.${e}`) })), help: t('import.encodingHelp') },
			{
				name: 'mode',
				label: t('import.mode'),
				type: 'radios',
				value: 'all',
				options: [
					{ value: 'all', label: t('import.mode.all'), help: t('import.mode.allHelp') },
					{ value: 'good', label: t('import.mode.good'), help: t('import.mode.goodHelp') },
				],
			},
			{ name: 'dry_run', type: 'checkbox', label: t('import.dryRun'), checkLabel: t('import.dryRunLabel'), help: t('import.dryRunHelp') },
		],
		{ testid: 'import-form', onSubmit: () => busy(submit, run) },
	);
	form.el.appendChild(h('div', { class: 'form-actions' }, submit));

	const report = h('div', { class: 'import-report', 'data-testid': 'import-report', 'aria-live': 'polite' });
	const templates = h('div', { class: 'import-templates' });
	const showTemplates = () => {
		const kind = form.values().kind;
		setChildren(
			templates,
			h('p', { class: 'text-secondary' }, t('import.templateNote')),
			button(t('import.template', { kind: t(`import.kind.${kind}`) }), { icon: 'download', testid: 'import-template', onClick: () => saveText(templateCsv(kind), `${kind}-template.csv`) }),
			h('h3', { class: 'section-title' }, t('import.columns')),
			h(
				'ul',
				{ class: 'column-list', 'data-testid': 'import-columns' },
				COLUMNS[kind].map((c) => h('li', { class: REQUIRED[kind].includes(c) ? 'is-required' : null }, h('span', null, columnName(kind, c)), columnName(kind, c) !== c ? h('code', null, c) : null)),
			),
			h('p', { class: 'form-help' }, t('import.requiredNote')),
			h('h3', { class: 'section-title' }, t('import.rules')),
			h('ul', { class: 'rule-list' }, [t(`import.rules.${kind}`), t('import.rules.sheet'), t('import.rules.update'), t('import.rules.version'), t('import.rules.masked'), t('import.rules.atomic')].map((r) => h('li', null, r))),
		);
	};
	form.field('kind').addEventListener('change', () => {
		showTemplates();
		setChildren(report);
	});
	/* a report is about the file it came from: another file clears it */
	drop.el.addEventListener('change', () => setChildren(report));
	showTemplates();

	el.append(
		pageHeader(t('nav.import'), { desc: t('import.desc') }),
		h('div', { class: 'import-layout' }, card(t('import.upload'), form.el, { cls: 'import-form-card' }), card(t('import.templateCard'), templates, { cls: 'import-side' })),
		report,
	);

	async function run() {
		setChildren(report);
		if (!form.validate()) return;
		const v = form.values();
		if (v.file.size > UPLOAD_LIMIT) {
			form.setError('file', t('import.tooLarge', { size: fmtSize(UPLOAD_LIMIT) }));
			return;
		}
		if (v.file.size === 0) {
			form.setError('file', t('import.emptyFile'));
			return;
		}
		/* filename: what the import is recorded under (the server's import_query; not yet in docs/api.md) */
		const q = { encoding: v.encoding, mode: v.mode, dry_run: v.dry_run ? 'true' : null, filename: v.file.name.slice(0, 128) };
		try {
			const type = /\.xlsx$/i.test(v.file.name) ? XLSX_TYPE : 'text/csv';
			const r = await upload(`/imports/${v.kind}`, v.file, { query: q, contentType: type });
			showReport(v, r, null);
		} catch (err) {
			if (err.body && typeof err.body.rows === 'number') showReport(v, err.body, err);
			else form.showError(err);
		}
	}

	function showReport(v, r, err) {
		const kind = r.kind || v.kind;
		/* line 0: the file as a whole (not a CSV or .xlsx file, an old .xls,
		   no header row); those are said in the banner, not as a row */
		const fileErrors = (r.errors || []).filter((e) => !e.line);
		const errors = (r.errors || []).filter((e) => e.line);
		/* refused before a single row was read: no row counts to show */
		const unread = Boolean(err) && !r.rows;
		const n = { rows: fmtNumber(r.rows || 0), inserted: fmtNumber(r.inserted || 0), updated: fmtNumber(r.updated || 0), unchanged: fmtNumber(r.unchanged || 0), rejected: fmtNumber(r.rejected || 0) };
		let banner;
		if (unread) banner = alertBox('error', fileErrors.length ? fileErrors.map((e) => e.message).join(' ') : err.message, { title: t('import.fileRefused') });
		else if (err)
			banner = alertBox('error', [...fileErrors.map((e) => e.message), v.mode === 'all' ? t('import.failedAll') : err.message].join(' '), {
				title: t('import.failed', { n: fmtNumber((r.errors || []).length || r.rejected || 0) }),
			});
		else if (r.dry_run)
			banner = alertBox(errors.length ? 'warning' : 'info', t('import.dryRunText', n), {
				title: t('import.dryRunDone'),
				actions: button(t('import.commit'), {
					kind: 'primary',
					size: 'sm',
					testid: 'import-commit',
					onClick: () => {
						form.setValues({ dry_run: false });
						form.el.requestSubmit();
					},
				}),
			});
		else if (r.rejected) banner = alertBox('warning', t('import.partialText', n), { title: t('import.partial') });
		else banner = alertBox('success', t('import.doneText', n), { title: t('import.done'), actions: h('a', { class: 'btn btn-default btn-sm', href: LIST_PAGE[kind], 'data-testid': 'import-view-list' }, t(`import.viewList.${kind}`)) });
		if (!err && !r.dry_run) toast.success(t('import.done'));

		const stats = unread
			? null
			: h(
					'div',
					{ class: 'stats import-stats' },
					statCard(t('import.stat.rows'), n.rows, { testid: 'import-rows' }),
					statCard(t('import.stat.inserted'), n.inserted, { testid: 'import-inserted', color: 'success' }),
					statCard(t('import.stat.updated'), n.updated, { testid: 'import-updated', color: 'primary' }),
					statCard(t('import.stat.unchanged'), n.unchanged, { testid: 'import-unchanged' }),
					statCard(t('import.stat.rejected'), n.rejected, { testid: 'import-rejected', color: r.rejected ? 'error' : null }),
				);
		/* the encoding the server read the file in; "auto" means it never got that far */
		const enc = r.encoding && r.encoding !== 'auto' ? r.encoding : null;
		const meta = h(
			'p',
			{ class: 'text-secondary import-meta', 'data-testid': 'import-meta', 'data-committed': String(Boolean(r.committed)) },
			enc ? t('import.meta', { file: v.file.name, encoding: tOr(`import.encoding.${enc}`, enc.toUpperCase()) }) : t('import.metaFile', { file: v.file.name }),
			' ',
			r.committed ? t('import.committed') : t('import.notCommitted'),
		);
		/* the estates, buildings and units the file named and ruhu did not
		   know: made by the import (or to be, in a trial run) — a misspelt
		   estate's name is a new estate, which the user should see */
		const newSites =
			r.new_sites && !unread && (r.committed || r.dry_run)
				? h(
						'div',
						{ 'data-testid': 'import-new-sites' },
						alertBox('warning', h('ul', { class: 'import-new-sites' }, (r.new_site_paths || []).map((p) => h('li', null, p)), r.new_sites > (r.new_site_paths || []).length ? h('li', null, '…') : null), {
							title: t(r.committed ? 'import.newSitesMade' : 'import.newSitesWould', { n: r.new_sites }),
						}),
					)
				: null;
		const rejectBtn = r.reject_csv
			? button(t('import.downloadRejects'), { icon: 'download', testid: 'import-reject', onClick: () => saveText(r.reject_csv, `${kind}-rejected.csv`) })
			: null;
		const table = errors.length
			? [
					h('h3', { class: 'section-title' }, t('import.errors', { n: fmtNumber(errors.length) })),
					r.errors_truncated ? alertBox('warning', t('import.truncated')) : null,
					dataTable({
						testid: 'import-errors',
						rowKey: 'key',
						rows: errors.map((e, i) => ({ ...e, key: i })),
						columns: [
							{ key: 'line', title: t('import.err.line'), cls: 'num', nowrap: true, render: (e) => h('span', { 'data-line': e.line }, String(e.line)) },
							{ key: 'header', title: t('import.err.column'), nowrap: true, render: (e) => e.header || (e.column ? t('import.err.columnN', { n: e.column }) : '') },
							/* the reason alone: the line and the column stand beside it */
							{ key: 'message', title: t('import.err.message'), render: (e) => e.reason || e.message },
						],
					}),
				]
			: null;
		setChildren(report, card(t('import.report'), [banner, stats, meta, newSites, rejectBtn ? h('div', { class: 'form-actions' }, rejectBtn) : null, table], { cls: 'import-report-card' }));
		report.scrollIntoView({ block: 'start', behavior: 'smooth' });
	}
}
