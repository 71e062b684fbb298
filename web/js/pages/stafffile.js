/*
 * stafffile.js — one worker's personal file (个人档案, SPEC S2–S6), #/staff/:id,
 * from GET /api/v1/staff/:id/record:
 *
 *   - the profile, with the supervisor and (for a senior worker) the team;
 *   - eligibility at a glance: per job the worker does, may be sent, or
 *     every reason why not, and the warnings (a certificate ending soon);
 *   - the hiring pipeline's eight steps in order, each with its latest
 *     decision, a form to record one, and "make active", which the server
 *     refuses (409 hiring_incomplete, naming the missing steps) until
 *     every step has passed;
 *   - documents (upload; download for the roles that may open them, the
 *     kinds that show the ID number in full for admins and managers only),
 *     trainings, certificates (red when run out, amber within 30 days;
 *     corrected or revoked, never deleted), discipline (a dismissal or
 *     blacklisting is asked again), the things a leaver hands back;
 *   - the badge card with its QR code, printable alone, and a new badge
 *     for a lost one.
 *
 * Every write is answered by reloading the file, so what shows is what
 * the server holds (a suspension, a demotion or a dismissal changes the
 * worker too). The page prints as the paper file (print stylesheet).
 */
import { h, icon, setChildren } from '../dom.js';
import { t } from '../i18n.js';
import { api, upload, fetchFile } from '../api.js';
import { session, can } from '../session.js';
import { fmtDateTime, todayIso } from '../format.js';
import { personalField, mayReveal } from '../personal.js';
import { button, busy, tag, card, pageHeader, formDrawer, confirm, promptText, toast, descriptions, spinner, errorState, alertBox, dataTable, saveBlob } from '../ui.js';
import { statusTag, jobTags, employmentTag, photoBlock, openStaffForm } from './staff.js';
import * as FS from '../fieldstaff.js';

const P = {
	update: 'PATCH /api/v1/staff/:id',
	list: 'GET /api/v1/staff',
	read: 'GET /api/v1/staff/:id',
	step: 'POST /api/v1/staff/:id/hiring',
	docAdd: 'POST /api/v1/staff/:id/documents',
	docGet: 'GET /api/v1/documents/:id',
	training: 'POST /api/v1/staff/:id/trainings',
	certAdd: 'POST /api/v1/staff/:id/certificates',
	certEdit: 'PATCH /api/v1/certificates/:id',
	discipline: 'POST /api/v1/staff/:id/discipline',
	discEdit: 'PATCH /api/v1/discipline/:id',
	returned: 'POST /api/v1/staff-returns/:id/returned',
	badge: 'GET /api/v1/staff/:id/badge',
	badgeIssue: 'POST /api/v1/staff/:id/badge',
	assign: 'POST /api/v1/assignments',
};

const ENDED = ['left', 'dismissed', 'blacklisted'];
const SECTIONS = ['profile', 'elig', 'hiring', 'certs', 'trainings', 'docs', 'discipline', 'returns', 'badge', 'team'];
const withNone = (list) => [{ value: '', label: t('common.choose') }, ...list];

/* A section's table, or one line saying there is nothing yet. */
function table(opts) {
	if (!opts.rows.length) return h('p', { class: 'sf-empty', 'data-testid': opts.testid ? `${opts.testid}-empty` : null }, opts.empty);
	return dataTable(opts);
}

export async function render({ el, params, setTitle }) {
	const id = params.id;
	/* the whole file comes in one answer, slow on a phone's network: a
	 * spinner meanwhile, not an empty page */
	const waiting = spinner();
	el.appendChild(waiting);
	let rec = await api.get(`/staff/${id}/record`);
	waiting.remove();
	const view = h('div', { class: 'sf', 'data-testid': 'staff-file', 'data-staff': String(id) });
	el.appendChild(view);

	/* What outlives a redraw: the badge and the team (loaded on their own),
	 * the supervisor's name, the last refusal of "make active". */
	const state = { badge: undefined, team: null, supervisor: null, refusal: null };

	function loadBadge() {
		state.badge = undefined;
		if (!can(P.badge)) return;
		if (!['active', 'suspended'].includes(rec.staff.status)) {
			state.badge = null;
			return;
		}
		api.get(`/staff/${id}/badge`)
			.then((b) => (state.badge = b))
			.catch((err) => (state.badge = err.status === 404 ? null : err))
			.finally(() => view.isConnected && drawBadge());
	}

	function loadTeam() {
		if (!can(P.list)) return;
		api.get('/staff', { supervisor_id: id, sort: 'name', order: 'asc', limit: 100 })
			.catch(() => ({ items: [], total: 0 }))
			.then((p) => {
				state.team = p;
				if (view.isConnected) drawTeam();
			});
	}

	function loadSupervisor() {
		const sid = rec.staff.supervisor_id;
		if (!sid || !can(P.read) || (state.supervisor && state.supervisor.id === sid)) return;
		api.get(`/staff/${sid}`)
			.then((s) => {
				state.supervisor = s;
				const a = view.querySelector('[data-testid=sf-supervisor]');
				if (a) a.textContent = t('staff.supervisorOption', { name: s.name, no: s.staff_no });
			})
			.catch(() => {});
	}

	/* The file read again and drawn; false when it could not be read (said). */
	async function reload({ badge = false } = {}) {
		const before = rec.staff.status;
		try {
			rec = await api.get(`/staff/${id}/record`);
		} catch (err) {
			toast.error(err.message);
			return false;
		}
		if (badge || before !== rec.staff.status) loadBadge();
		draw();
		loadSupervisor();
		return true;
	}

	const slots = {};
	const section = (key, title, body, extra) => {
		const c = card(title, body, { extra, cls: `sf-section sf-sec-${key}` });
		c.id = `sf-${key}-${id}`;
		c.setAttribute('data-testid', `sf-${key}`);
		slots[key] = c;
		return c;
	};

	/* The file is drawn again after every change: the control that had the
	 * keyboard's focus (the button a drawer was opened from) is found again
	 * in the new file by its test id and the row it is in, so that focus
	 * does not drop to the top of the page. */
	function focusedKey() {
		const el = document.activeElement;
		if (!el || !view.contains(el) || !el.dataset.testid) return null;
		const row = el.closest('tr[data-key]');
		return { testid: el.dataset.testid, row: row ? row.dataset.key : null };
	}
	function refocus(key) {
		if (!key || (document.activeElement && document.activeElement !== document.body && view.contains(document.activeElement))) return;
		const sel = `[data-testid="${CSS.escape(key.testid)}"]`;
		const el = key.row ? view.querySelector(`tr[data-key="${CSS.escape(key.row)}"] ${sel}`) : view.querySelector(sel);
		if (el) el.focus();
	}

	function draw() {
		const s = rec.staff;
		const focus = focusedKey();
		setTitle(s.name);
		for (const k of SECTIONS) delete slots[k];
		const parts = [
			header(s),
			sectionNav(),
			h('div', { class: 'sf-grid' }, profileSection(s), eligibilitySection()),
			hiringSection(s),
			certificatesSection(),
			trainingsSection(),
			documentsSection(),
			disciplineSection(s),
			rec.returns.length ? returnsSection() : null,
			h('div', { class: 'sf-grid' }, can(P.badge) ? badgeSection() : null, can(P.list) ? teamSection() : null),
		];
		setChildren(view, ...parts);
		drawBadge();
		drawTeam();
		refocus(focus);
	}

	/* ---- header and in-page navigation ---- */

	function header(s) {
		const actions = [
			can(P.update) ? button(t('common.edit'), { icon: 'edit', testid: 'sf-edit', onClick: () => openStaffForm(id, { onSaved: () => reload(), onConflict: () => reload() }) }) : null,
			can(P.assign) && s.status === 'active' ? h('a', { class: 'btn btn-default', href: `#/assignments?assign=${id}`, 'data-testid': 'sf-assign' }, icon('clipboard'), h('span', null, t('sf.assign'))) : null,
			button(t('sf.print'), { icon: 'print', testid: 'sf-print', onClick: () => window.print() }),
			h('a', { class: 'btn btn-default', href: '#/staff', 'data-testid': 'sf-back' }, icon('left'), h('span', null, t('sf.back'))),
		];
		return pageHeader(s.name, {
			desc: [h('span', { 'data-testid': 'sf-no' }, s.staff_no), ' ', statusTag(s.status), ' ', h('span', { class: 'print-only' }, t('sf.printedAt', { time: fmtDateTime(Math.floor(Date.now() / 1000)) }))],
			actions,
		});
	}

	function sectionNav() {
		const items = [
			['profile', 'sf.section.profile'],
			['elig', 'sf.section.elig'],
			['hiring', 'sf.section.hiring'],
			['certs', 'sf.section.certs'],
			['trainings', 'sf.section.trainings'],
			['docs', 'sf.section.docs'],
			['discipline', 'sf.section.discipline'],
			rec.returns.length ? ['returns', 'sf.section.returns'] : null,
			can(P.badge) ? ['badge', 'sf.section.badge'] : null,
		].filter(Boolean);
		return h(
			'nav',
			{ class: 'sf-nav no-print', 'aria-label': t('sf.sections') },
			items.map(([key, label]) =>
				button(t(label), {
					kind: 'text',
					size: 'sm',
					onClick: () => {
						const target = slots[key];
						if (!target) return;
						target.scrollIntoView({ behavior: 'smooth', block: 'start' });
						const heading = target.querySelector('.card-title');
						if (heading) {
							heading.setAttribute('tabindex', '-1');
							heading.focus({ preventScroll: true });
						}
					},
				}),
			),
		);
	}

	/* ---- profile ---- */

	function profileSection(s) {
		const phone = personalField({
			value: s.phone,
			label: t('staff.phone'),
			testid: 'sf-phone',
			revealable: mayReveal('staff', 'phone'),
			load: async () => phone.show((await api.get(`/staff/${id}`, { reveal: 'phone' })).phone),
		});
		const idNumber = personalField({
			value: s.id_number,
			label: t('staff.idNumber'),
			testid: 'sf-id-number',
			revealable: mayReveal('staff', 'id_number'),
			load: async () => idNumber.show((await api.get(`/staff/${id}`, { reveal: 'id_number' })).id_number),
		});
		const sup = state.supervisor && state.supervisor.id === s.supervisor_id ? t('staff.supervisorOption', { name: state.supervisor.name, no: state.supervisor.staff_no }) : `#${s.supervisor_id}`;
		const supervisor = s.supervisor_id ? h('a', { href: `#/staff/${s.supervisor_id}`, 'data-testid': 'sf-supervisor' }, sup) : t('staff.noSupervisor');
		return section(
			'profile',
			t('sf.section.profile'),
			h(
				'div',
				{ class: 'sf-profile-body' },
				photoBlock(s, () => reload({ badge: true })),
				descriptions(
					[
						[t('staff.staffNo'), s.staff_no],
						[t('staff.status'), statusTag(s.status)],
						[t('staff.employment'), employmentTag(s.employment)],
						[t('staff.employer'), s.employer || ''],
						[t('staff.jobTypes'), jobTags(s.job_types)],
						[t('staff.level'), h('span', { 'data-testid': 'sf-level' }, t(`staff.level.${s.level}`))],
						[t('staff.badgeNo'), s.badge_no || ''],
						[t('staff.supervisor'), supervisor],
						'phone' in s ? [t('staff.phone'), phone.el] : null,
						'id_number' in s ? [t('staff.idNumber'), idNumber.el] : null,
						[t('staff.birthDate'), s.birth_date || ''],
						[t('staff.notes'), s.notes ? h('span', { class: 'pre-line' }, s.notes) : ''],
					],
					{ cols: 1 },
				),
			),
		);
	}

	/* ---- eligibility ---- */

	function eligibilitySection() {
		const e = rec.eligibility;
		return section(
			'elig',
			t('sf.section.elig'),
			[h('p', { class: 'text-secondary small sf-note' }, t('sf.elig.asOf', { day: e.day })), FS.eligibilityView(e)],
			e.jobs.length ? tag(e.eligible_any ? t('sf.elig.any') : t('sf.elig.none'), e.eligible_any ? 'green' : 'red', { 'data-testid': 'elig-any' }) : null,
		);
	}

	/* ---- hiring pipeline (S2) ---- */

	function latestSteps() {
		const latest = {};
		for (const e of rec.hiring.steps || []) if (!latest[e.step] || e.id > latest[e.step].id) latest[e.step] = e;
		return latest;
	}

	function docLabel(fileId) {
		const d = rec.documents.find((x) => x.id === fileId);
		return d ? t('sf.doc.option', { kind: t(`fs.doc.${d.kind}`), name: d.name }) : `#${fileId}`;
	}

	function hiringSection(s) {
		const latest = latestSteps();
		const pipeline = rec.hiring.pipeline;
		const passed = pipeline.filter((p) => p.result === 'passed').length;
		const missing = state.refusal ? state.refusal.missing : [];
		/* a worker whose service has ended is hired no more */
		const ended = ENDED.includes(s.status);
		const results = Object.fromEntries(pipeline.map((p) => [p.step, p.result]));
		const list = h(
			'ol',
			{ class: 'pipeline', 'data-testid': 'pipeline' },
			pipeline.map((p, i) => {
				/* in order (S2): a step waits for the stages before it */
				const waits = FS.stepsWaitedFor(p.step, results);
				/* the decision behind the result; none for a step of a new
				 * pipeline (a leaver taken on again) not decided yet */
				const e = p.result ? latest[p.step] : null;
				const result = p.result || 'none';
				return h(
					'li',
					{ class: ['pipe-step', `is-${result}`, missing.includes(p.step) ? 'is-missing' : ''], 'data-step': p.step, 'data-result': result },
					h('span', { class: 'pipe-no', 'aria-hidden': 'true' }, result === 'passed' ? icon('check') : result === 'failed' ? icon('close') : String(i + 1)),
					h(
						'div',
						{ class: 'pipe-main' },
						h('div', { class: 'pipe-title' }, h('span', { class: 'pipe-label' }, t(`fs.step.${p.step}`)), ' ', FS.resultTag(p.result)),
						e
							? h(
									'div',
									{ class: 'pipe-meta' },
									t('sf.hiring.decided', { day: e.day, by: e.decided_by }),
									e.file_id ? h('span', null, ' · ', docLabel(e.file_id)) : null,
									e.notes ? h('div', { class: 'pipe-notes pre-line' }, e.notes) : null,
								)
							: null,
					),
					ended ? null : stepAction(p.step, waits),
				);
			}),
		);
		const summary = rec.hiring.complete
			? alertBox('success', null, { title: t('sf.hiring.complete') })
			: alertBox('info', null, { title: t('sf.hiring.progress', { n: passed, total: pipeline.length }) });
		const refusal = state.refusal ? h('div', { 'data-testid': 'hiring-alert' }, alertBox('error', state.refusal.message, { title: t('sf.activate.refused') })) : null;
		const history = (rec.hiring.steps || []).length
			? h(
					'details',
					{ class: 'sf-history no-print' },
					h('summary', null, t('sf.hiring.history', { n: rec.hiring.steps.length })),
					dataTable({
						columns: [
							{ key: 'day', title: t('sf.col.day'), nowrap: true },
							{ key: 'step', title: t('sf.col.step'), render: (e) => t(`fs.step.${e.step}`) },
							{ key: 'result', title: t('sf.col.result'), render: (e) => FS.resultTag(e.result) },
							{ key: 'decided_by', title: t('sf.col.decidedBy') },
							{ key: 'notes', title: t('sf.col.notes'), render: (e) => (e.notes ? h('span', { class: 'pre-line' }, e.notes) : '') },
							{ key: 'created_at', title: t('sf.col.recordedAt'), nowrap: true, render: (e) => fmtDateTime(e.created_at) },
						],
						rows: [...rec.hiring.steps].sort((a, b) => b.id - a.id),
						empty: t('common.empty'),
					}),
				)
			: null;
		const activate =
			s.status === 'candidate' && can(P.update)
				? button(t('sf.activate'), { kind: 'primary', icon: 'check', cls: 'no-print', testid: 'staff-activate', onClick: (e) => activateCandidate(e.currentTarget) })
				: null;
		return section('hiring', t('sf.section.hiring'), [refusal, summary, list, history], activate);
	}

	/* What a step's row offers one who records decisions: while the
	 * stages before it have not passed, what it waits for; the last step,
	 * the pre-job training form (its exam decides it); else a decision. */
	function stepAction(step, waits) {
		if (!can(P.step) && !can(P.training)) return null;
		if (waits.length) return h('span', { class: 'pipe-waits small text-secondary no-print', 'data-testid': 'hiring-waits' }, t('sf.hiring.waits', { steps: waits.map((x) => t(`fs.step.${x}`)).join(t('common.listSep')) }));
		if (step === 'pre_job_training')
			return can(P.training) ? button(t('sf.hiring.recordTraining'), { kind: 'link', size: 'sm', cls: 'no-print', testid: 'hiring-record', onClick: () => trainingForm('pre_job') }) : null;
		return can(P.step) ? button(t('sf.hiring.record'), { kind: 'link', size: 'sm', cls: 'no-print', testid: 'hiring-record', onClick: () => stepForm(step) }) : null;
	}

	function stepForm(step) {
		const { form } = formDrawer({
			title: t('sf.hiring.recordTitle'),
			testid: 'hiring-drawer',
			intro: h('div', { class: 'drawer-subtitle' }, h('strong', null, rec.staff.name), ' ', h('span', { class: 'text-secondary' }, rec.staff.staff_no)),
			fields: [
				{ name: 'step', label: t('sf.col.step'), type: 'select', required: true, options: FS.opts('fs.step', FS.STEPS.filter((x) => x !== 'pre_job_training')), value: step, help: t('sf.hiring.orderHelp') },
				{ name: 'result', label: t('sf.col.result'), type: 'radios', options: [{ value: 'passed', label: t('fs.result.passed') }, { value: 'failed', label: t('fs.result.failed') }], value: 'passed' },
				{ name: 'day', label: t('sf.col.day'), type: 'date', required: true, value: todayIso(), max: todayIso() },
				{ name: 'decided_by', label: t('sf.col.decidedBy'), required: true, maxlength: 100, value: session.user.display_name || session.user.username, help: t('sf.decidedByHelp') },
				{ name: 'notes', label: t('sf.col.notes'), type: 'textarea', maxlength: 1000 },
				rec.documents.length ? { name: 'file_id', label: t('sf.attachment'), type: 'select', options: docOptions(), help: t('sf.attachmentHelp') } : null,
			].filter(Boolean),
			submitText: t('common.save'),
			submit: async (v, f, drawer) => {
				const b = { step: v.step, result: v.result || 'passed', day: v.day, decided_by: v.decided_by };
				if (v.notes) b.notes = v.notes;
				if (v.file_id) b.file_id = Number(v.file_id);
				try {
					await api.post(`/staff/${id}/hiring`, b);
				} catch (err) {
					f.showError(err);
					return;
				}
				toast.success(t('sf.hiring.saved', { step: t(`fs.step.${b.step}`) }));
				state.refusal = null;
				drawer.close();
				await reload();
			},
		});
		return form;
	}

	async function activateCandidate(btn) {
		const s = rec.staff;
		const ok = await confirm({ title: t('sf.activate'), message: t('sf.activate.confirm', { name: s.name }), okText: t('sf.activate'), reason: true });
		if (!ok) return;
		await busy(btn, async () => {
			const body = { version: s.version, status: 'active' };
			if (ok.reason) body.reason = ok.reason;
			try {
				await api.patch(`/staff/${id}`, body);
				state.refusal = null;
				toast.success(t('sf.activate.done', { name: s.name }));
				await reload({ badge: true });
			} catch (err) {
				if (err.code === 'hiring_incomplete') {
					state.refusal = { message: err.message, missing: (err.body && err.body.missing_steps) || [] };
					draw();
					const a = view.querySelector('[data-testid=hiring-alert]');
					if (a) a.scrollIntoView({ block: 'nearest' });
				} else if (err.isConflict) {
					toast.warning(err.message);
					await reload();
				} else toast.error(err.message);
			}
		});
	}

	/* ---- documents ---- */

	function docOptions() {
		return [{ value: '', label: t('sf.noAttachment') }, ...rec.documents.map((d) => ({ value: String(d.id), label: t('sf.doc.option', { kind: t(`fs.doc.${d.kind}`), name: d.name }) }))];
	}

	function documentsSection() {
		const columns = [
			{ key: 'kind', title: t('sf.col.docKind'), render: (d) => t(`fs.doc.${d.kind}`) },
			{ key: 'name', title: t('sf.col.fileName'), render: (d) => h('span', { 'data-testid': 'doc-name' }, d.name) },
			{ key: 'size', title: t('sf.col.size'), nowrap: true, render: (d) => FS.fmtSize(d.size) },
			{ key: 'created_at', title: t('sf.col.uploadedAt'), nowrap: true, render: (d) => fmtDateTime(d.created_at) },
			can(P.docGet) ? { key: 'actions', title: t('common.actions'), cls: 'col-actions col-actions-tight', render: (d) => downloadButton(d) } : null,
		].filter(Boolean);
		return section(
			'docs',
			t('sf.section.docs'),
			[h('p', { class: 'text-secondary small sf-note' }, can(P.docGet) ? t('sf.doc.note') : t('sf.doc.noteNoOpen')), table({ columns, rows: rec.documents, empty: t('sf.doc.empty'), testid: 'doc-list' })],
			can(P.docAdd) ? button(t('sf.doc.upload'), { icon: 'upload', size: 'sm', cls: 'no-print', testid: 'doc-upload', onClick: uploadForm }) : null,
		);
	}

	function downloadButton(d) {
		/* the server answers 403 to anyone else: no button that cannot work */
		if (FS.ID_DOC_KINDS.includes(d.kind) && !mayReveal('staff', 'id_number')) return h('span', { class: 'text-secondary small', 'data-testid': 'doc-id-only' }, t('sf.doc.idOnly'));
		const b = button(t('sf.doc.download'), {
			kind: 'link',
			size: 'sm',
			icon: 'download',
			testid: 'doc-download',
			onClick: () =>
				busy(b, async () => {
					try {
						const { blob } = await fetchFile(`/documents/${d.id}`);
						saveBlob(blob, d.name);
					} catch (err) {
						toast.error(err.message);
					}
				}),
		});
		return b;
	}

	function uploadForm() {
		formDrawer({
			title: t('sf.doc.upload'),
			testid: 'doc-drawer',
			fields: [
				{ name: 'kind', label: t('sf.col.docKind'), type: 'select', required: true, options: withNone(FS.opts('fs.doc', FS.DOC_KINDS)) },
				{ name: 'file', label: t('sf.doc.file'), type: 'file', required: true, accept: FS.DOC_TYPES.join(','), help: t('sf.doc.fileHelp') },
				{ name: 'name', label: t('sf.col.fileName'), maxlength: 100, help: t('sf.doc.nameHelp') },
			],
			submitText: t('sf.doc.uploadSubmit'),
			submit: async (v, f, drawer) => {
				const file = v.file;
				if (file.size > FS.DOC_MAX) {
					f.setError('file', t('sf.doc.tooLarge'));
					return;
				}
				if (file.size === 0) {
					f.setError('file', t('import.emptyFile'));
					return;
				}
				const name = (v.name || file.name || 'file').slice(0, 100);
				try {
					await upload(`/staff/${id}/documents`, file, { query: { kind: v.kind, name }, contentType: file.type || 'application/octet-stream' });
				} catch (err) {
					f.showError(err);
					return;
				}
				toast.success(t('sf.doc.saved', { name }));
				drawer.close();
				await reload();
			},
		});
	}

	/* ---- trainings (S2, S4) ---- */

	function trainingsSection() {
		const columns = [
			{ key: 'day', title: t('sf.col.day'), nowrap: true },
			...FS.trainingColumns(),
		];
		return section(
			'trainings',
			t('sf.section.trainings'),
			table({ columns, rows: rec.trainings, empty: t('sf.training.empty'), testid: 'training-list' }),
			can(P.training) ? button(t('sf.training.add'), { icon: 'plus', size: 'sm', cls: 'no-print', testid: 'training-add', onClick: () => trainingForm() }) : null,
		);
	}

	/* kind: the kind to start with ('pre_job' from the pipeline's last step) */
	function trainingForm(kind) {
		formDrawer({
			title: t('sf.training.add'),
			testid: 'training-drawer',
			fields: [
				{ name: 'kind', label: t('sf.col.trainingKind'), type: 'select', required: true, options: FS.opts('fs.training', FS.TRAINING_KINDS), value: kind || 'in_service', help: t('sf.training.kindHelp') },
				{ name: 'topic', label: t('sf.col.topic'), required: true, maxlength: 100 },
				{ name: 'day', label: t('sf.col.day'), type: 'date', required: true, value: todayIso(), max: todayIso() },
				{ name: 'hours', label: t('sf.col.hours'), type: 'number', required: true, min: 1, max: 1000, step: 1, inputmode: 'numeric' },
				{ name: 'mode', label: t('sf.col.mode'), type: 'select', required: true, options: FS.opts('fs.mode', FS.TRAINING_MODES), value: 'offline' },
				{ name: 'exam', label: t('sf.col.exam'), type: 'select', required: true, options: FS.opts('fs.exam', FS.EXAMS), value: 'passed' },
				{ name: 'score', label: t('sf.col.score'), type: 'number', min: 0, max: 100, step: 1, inputmode: 'numeric' },
				rec.documents.length ? { name: 'file_id', label: t('sf.attachment'), type: 'select', options: docOptions() } : null,
			].filter(Boolean),
			submit: async (v, f, drawer) => {
				const b = { kind: v.kind, topic: v.topic, day: v.day, hours: v.hours, mode: v.mode, exam: v.exam, score: v.score === '' ? null : v.score };
				if (v.file_id) b.file_id = Number(v.file_id);
				try {
					await api.post(`/staff/${id}/trainings`, b);
				} catch (err) {
					f.showError(err);
					return;
				}
				toast.success(t('sf.training.saved'));
				drawer.close();
				await reload();
			},
		});
	}

	/* ---- certificates (S3, S4) ---- */

	function certificatesSection() {
		const columns = [
			{ key: 'type', title: t('sf.col.certType'), render: (c) => t(`fs.cert.${c.type}`) },
			{ key: 'number', title: t('sf.col.certNo') },
			{ key: 'issuer', title: t('sf.col.issuer') },
			{ key: 'valid', title: t('sf.col.validity'), nowrap: true, render: (c) => t('sf.validRange', { from: c.valid_from, to: c.valid_to }) },
			{ key: 'state', title: t('sf.col.state'), render: (c) => FS.certBadge(c, rec.certificates) },
			can(P.certEdit) ? { key: 'actions', title: t('common.actions'), cls: 'col-actions col-actions-tight', render: certActions } : null,
		].filter(Boolean);
		const expiring = rec.certificates.filter((c) => ['expiring', 'expired'].includes(FS.certState(c, rec.certificates).state));
		return section(
			'certs',
			t('sf.section.certs'),
			[
				expiring.length ? alertBox('warning', t('sf.cert.attention', { n: expiring.length })) : null,
				table({ columns, rows: rec.certificates, empty: t('sf.cert.empty'), testid: 'cert-list', rowClass: (c) => `cert-row is-${FS.certState(c, rec.certificates).state}` }),
			],
			can(P.certAdd) ? button(t('sf.cert.add'), { icon: 'plus', size: 'sm', cls: 'no-print', testid: 'cert-add', onClick: () => certForm(null) }) : null,
		);
	}

	function certActions(c) {
		if (c.revoked) return '';
		return h(
			'div',
			{ class: 'row-actions no-print' },
			button(t('sf.cert.correct'), { kind: 'link', size: 'sm', testid: 'cert-correct', onClick: () => certForm(c) }),
			button(t('sf.cert.revoke'), { kind: 'link', size: 'sm', cls: 'text-error', testid: 'cert-revoke', onClick: () => revokeCert(c) }),
		);
	}

	function certForm(c) {
		const editing = Boolean(c);
		formDrawer({
			title: editing ? t('sf.cert.correctTitle') : t('sf.cert.add'),
			testid: 'cert-drawer',
			intro: editing ? h('div', { class: 'drawer-subtitle' }, h('strong', null, t(`fs.cert.${c.type}`)), ' ', h('span', { class: 'text-secondary' }, c.number)) : null,
			fields: [
				{ name: 'type', label: t('sf.col.certType'), type: 'select', required: true, options: withNone(FS.opts('fs.cert', FS.CERT_TYPES)), value: editing ? c.type : '' },
				{ name: 'number', label: t('sf.col.certNo'), required: true, maxlength: 100, value: editing ? c.number : '', help: editing && c.number.includes('*') ? t('pii.maskedHelp') : undefined },
				{ name: 'issuer', label: t('sf.col.issuer'), required: true, maxlength: 100, value: editing ? c.issuer : '' },
				{ name: 'valid_from', label: t('sf.col.validFrom'), type: 'date', required: true, value: editing ? c.valid_from : '' },
				{ name: 'valid_to', label: t('sf.col.validTo'), type: 'date', required: true, value: editing ? c.valid_to : '', help: t('sf.cert.toHelp') },
				rec.documents.length ? { name: 'file_id', label: t('sf.cert.scan'), type: 'select', options: docOptions(), value: editing && c.file_id ? String(c.file_id) : '' } : null,
				/* a certificate on file is evidence: its correction says why (X3) */
				editing ? { name: 'reason', label: t('common.reason'), type: 'textarea', required: true, maxlength: 200, placeholder: t('common.reasonRequiredHint') } : null,
			].filter(Boolean),
			submit: async (v, f, drawer) => {
				let body;
				if (editing) {
					body = { version: c.version };
					for (const k of ['type', 'number', 'issuer', 'valid_from', 'valid_to']) if (v[k] !== c[k]) body[k] = v[k];
					if ('file_id' in v && Number(v.file_id || 0) !== (c.file_id || 0)) body.file_id = v.file_id ? Number(v.file_id) : null;
					if (Object.keys(body).length === 1) {
						f.alert('info', t('common.noChanges'));
						return;
					}
					body.reason = v.reason;
				} else {
					body = { type: v.type, number: v.number, issuer: v.issuer, valid_from: v.valid_from, valid_to: v.valid_to };
					if (v.file_id) body.file_id = Number(v.file_id);
				}
				try {
					if (editing) await api.patch(`/certificates/${c.id}`, body);
					else await api.post(`/staff/${id}/certificates`, body);
				} catch (err) {
					if (err.isConflict) {
						/* as edit.js does: the certificate as it now is, in the drawer, to decide again */
						if (!(await reload())) return;
						const now = rec.certificates.find((x) => x.id === c.id);
						if (!now) {
							drawer.close();
							toast.warning(`${err.message} ${t('conflict.listReloaded')}`);
							return;
						}
						c = now;
						f.setOptions('file_id', docOptions());
						f.setValues({ type: now.type, number: now.number, issuer: now.issuer, valid_from: now.valid_from, valid_to: now.valid_to, file_id: now.file_id ? String(now.file_id) : '' });
						f.markClean();
						f.alert('warning', t('conflict.reloaded'), { title: err.message });
						return;
					}
					f.showError(err);
					return;
				}
				toast.success(editing ? t('sf.cert.corrected') : t('sf.cert.saved'));
				drawer.close();
				await reload();
			},
		});
	}

	async function revokeCert(c) {
		const ok = await confirm({ title: t('sf.cert.revoke'), message: t('sf.cert.revokeConfirm', { type: t(`fs.cert.${c.type}`), no: c.number }), okText: t('sf.cert.revoke'), danger: true, reason: true, reasonRequired: true });
		if (!ok) return;
		const body = { version: c.version, revoked: true, reason: ok.reason };
		try {
			await api.patch(`/certificates/${c.id}`, body);
			toast.success(t('sf.cert.revoked'));
		} catch (err) {
			toast.error(err.message);
		}
		await reload();
	}

	/* ---- discipline (S5) ---- */

	function disciplineSection(s) {
		const columns = [
			{ key: 'day', title: t('sf.col.day'), nowrap: true },
			/* one element a cell: on a phone each cell is a grid row of label and value */
			{ key: 'kind', title: t('sf.col.discKind'), render: (d) => h('div', { class: 'tags' }, FS.disciplineTag(d.kind), d.annulled ? tag(t('sf.disc.annulled'), 'default') : null) },
			{
				key: 'reason',
				title: t('sf.col.discReason'),
				render: (d) =>
					h(
						'div',
						{ class: 'cell-stack' },
						h('span', { class: 'pre-line' }, d.reason),
						/* why it was annulled stands, not struck through with the entry */
						d.annulled ? h('div', null, h('span', { class: 'small disc-annulment pre-line', 'data-testid': 'disc-annulment' }, t('sf.disc.annulledNote', { why: d.annulment }))) : null,
					),
			},
			{ key: 'rule', title: t('sf.col.rule') },
			{ key: 'amount', title: t('sf.col.amount'), nowrap: true, render: (d) => (FS.MONEY_KINDS.includes(d.kind) ? FS.fmtYuan(d.amount) : '') },
			{ key: 'evidence', title: t('sf.col.evidence'), render: (d) => h('div', { class: 'cell-stack' }, d.evidence ? h('span', { class: 'pre-line' }, d.evidence) : null, d.file_id ? h('span', { class: 'small text-secondary' }, docLabel(d.file_id)) : null) },
			{ key: 'decided_by', title: t('sf.col.decidedBy') },
			can(P.discEdit) ? { key: 'actions', title: t('common.actions'), cls: 'col-actions col-actions-tight', render: disciplineActions } : null,
		].filter(Boolean);
		const ended = ENDED.includes(s.status);
		return section(
			'discipline',
			t('sf.section.discipline'),
			table({
				columns,
				rows: [...rec.discipline].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : b.id - a.id)),
				empty: t('sf.disc.empty'),
				testid: 'disc-list',
				rowClass: (d) => `disc-row${d.annulled ? ' is-revoked' : ''}`,
			}),
			can(P.discipline) && !ended ? button(t('sf.disc.add'), { icon: 'plus', size: 'sm', cls: 'no-print', testid: 'disc-add', onClick: disciplineForm }) : null,
		);
	}

	function disciplineForm() {
		const s = rec.staff;
		const effect = h('div', { class: 'form-help sf-effect', 'data-testid': 'disc-effect' });
		const { form } = formDrawer({
			title: t('sf.disc.add'),
			testid: 'disc-drawer',
			intro: h('div', { class: 'drawer-subtitle' }, h('strong', null, s.name), ' ', h('span', { class: 'text-secondary' }, s.staff_no), ' ', statusTag(s.status)),
			fields: [
				{ name: 'kind', label: t('sf.col.discKind'), type: 'select', required: true, options: withNone(FS.opts('fs.discipline', FS.DISCIPLINE_KINDS)) },
				{ name: 'amount', label: t('sf.disc.amount'), type: 'number', min: 0, max: 1000000, step: '0.01', inputmode: 'decimal', help: t('sf.disc.amountHelp') },
				{ name: 'reason', label: t('sf.col.discReason'), type: 'textarea', required: true, maxlength: 1000 },
				{ name: 'rule', label: t('sf.col.rule'), required: true, maxlength: 100, placeholder: t('sf.disc.rulePlaceholder') },
				{ name: 'evidence', label: t('sf.col.evidence'), type: 'textarea', maxlength: 1000, help: t('sf.disc.evidenceHelp') },
				rec.documents.length ? { name: 'file_id', label: t('sf.disc.file'), type: 'select', options: docOptions() } : null,
				{ name: 'day', label: t('sf.col.day'), type: 'date', required: true, value: todayIso(), max: todayIso() },
				{ name: 'decided_by', label: t('sf.col.decidedBy'), required: true, maxlength: 100, value: session.user.display_name || session.user.username },
			].filter(Boolean),
			submitText: t('common.save'),
			submit: async (v, f, drawer) => {
				const money = FS.MONEY_KINDS.includes(v.kind);
				if (money && (v.amount === '' || !(Number(v.amount) > 0))) {
					f.setError('amount', t('sf.disc.amountRequired'));
					f.focus('amount');
					return;
				}
				if (FS.EVIDENCE_KINDS.includes(v.kind) && !v.evidence && !v.file_id) {
					f.setError('evidence', t('sf.disc.evidenceHelp'));
					f.focus('evidence');
					return;
				}
				const b = { kind: v.kind, reason: v.reason, rule: v.rule, day: v.day, decided_by: v.decided_by };
				if (money) b.amount = Math.round(Number(v.amount) * 100);
				if (v.evidence) b.evidence = v.evidence;
				if (v.file_id) b.file_id = Number(v.file_id);
				if (FS.GRAVE_KINDS.includes(v.kind)) {
					const kind = t(`fs.discipline.${v.kind}`);
					const ok = await confirm({ title: t('sf.disc.graveTitle', { kind }), message: t('sf.disc.graveText', { name: s.name, kind }), okText: kind, danger: true });
					if (!ok) return;
				}
				try {
					await api.post(`/staff/${id}/discipline`, b);
				} catch (err) {
					f.showError(err);
					return;
				}
				toast.success(t('sf.disc.saved', { kind: t(`fs.discipline.${v.kind}`) }));
				drawer.close();
				await reload();
			},
		});
		const kind = form.field('kind');
		kind.closest('.form-control').appendChild(effect);
		const sync = () => {
			const k = kind.value;
			form.items.get('amount').item.hidden = !FS.MONEY_KINDS.includes(k);
			effect.textContent = k && FS.EFFECT_KINDS.includes(k) ? t(`sf.disc.effect.${k}`) : '';
		};
		kind.addEventListener('change', sync);
		sync();
	}

	/* An entry is corrected, or annulled (撤销), as a new version; an
	 * annulled one takes nothing more, and one that changed the worker
	 * (a status, a level) is not annulled: its effect is undone on its own. */
	function disciplineActions(d) {
		if (d.annulled) return '';
		return h(
			'div',
			{ class: 'row-actions no-print' },
			button(t('sf.disc.correct'), { kind: 'link', size: 'sm', testid: 'disc-correct', onClick: () => disciplineCorrectForm(d) }),
			FS.EFFECT_KINDS.includes(d.kind) ? null : button(t('sf.disc.annul'), { kind: 'link', size: 'sm', cls: 'text-error', testid: 'disc-annul', onClick: () => annulDiscipline(d) }),
		);
	}

	function disciplineCorrectForm(d) {
		const money = FS.MONEY_KINDS.includes(d.kind);
		formDrawer({
			title: t('sf.disc.correctTitle'),
			testid: 'disc-correct-drawer',
			intro: h('div', { class: 'drawer-subtitle' }, FS.disciplineTag(d.kind), ' ', h('span', { class: 'text-secondary' }, d.day)),
			fields: [
				money ? { name: 'amount', label: t('sf.disc.amount'), type: 'number', required: true, min: 0.01, max: 1000000, step: '0.01', inputmode: 'decimal', value: String(d.amount / 100) } : null,
				{ name: 'reason', label: t('sf.col.discReason'), type: 'textarea', required: true, maxlength: 1000, value: d.reason },
				{ name: 'rule', label: t('sf.col.rule'), required: true, maxlength: 100, value: d.rule },
				{ name: 'evidence', label: t('sf.col.evidence'), type: 'textarea', maxlength: 1000, value: d.evidence, help: FS.EVIDENCE_KINDS.includes(d.kind) ? t('sf.disc.evidenceHelp') : undefined },
				rec.documents.length ? { name: 'file_id', label: t('sf.disc.file'), type: 'select', options: docOptions(), value: d.file_id ? String(d.file_id) : '' } : null,
				{ name: 'day', label: t('sf.col.day'), type: 'date', required: true, value: d.day, max: todayIso() },
				{ name: 'decided_by', label: t('sf.col.decidedBy'), required: true, maxlength: 100, value: d.decided_by },
				{ name: 'correction', label: t('sf.disc.correction'), type: 'textarea', required: true, maxlength: 200, placeholder: t('common.reasonRequiredHint') },
			].filter(Boolean),
			submit: async (v, f, drawer) => {
				const body = { version: d.version };
				for (const k of ['reason', 'rule', 'evidence', 'day', 'decided_by']) if (v[k] !== d[k]) body[k] = v[k];
				if ('file_id' in v && Number(v.file_id || 0) !== (d.file_id || 0)) body.file_id = v.file_id ? Number(v.file_id) : null;
				if (money && Math.round(Number(v.amount) * 100) !== d.amount) body.amount = Math.round(Number(v.amount) * 100);
				if (Object.keys(body).length === 1) {
					f.alert('info', t('common.noChanges'));
					return;
				}
				body.correction = v.correction;
				try {
					await api.patch(`/discipline/${d.id}`, body);
				} catch (err) {
					if (!err.isConflict) {
						f.showError(err);
						return;
					}
					/* as edit.js does: the entry as it now is, in the drawer, to decide again */
					if (!(await reload())) return; /* the old version kept: saving again conflicts again */
					const now = rec.discipline.find((x) => x.id === d.id);
					if (!now || now.annulled) {
						drawer.close();
						toast.warning(`${err.message} ${t('conflict.listReloaded')}`);
						return;
					}
					d = now;
					f.setOptions('file_id', docOptions()); /* a document added meanwhile may be the one it carries now */
					f.setValues({ amount: String(now.amount / 100), reason: now.reason, rule: now.rule, evidence: now.evidence, file_id: now.file_id ? String(now.file_id) : '', day: now.day, decided_by: now.decided_by });
					f.markClean();
					f.alert('warning', t('conflict.reloaded'), { title: err.message });
					return;
				}
				toast.success(t('sf.disc.corrected'));
				drawer.close();
				await reload();
			},
		});
	}

	async function annulDiscipline(d) {
		const kind = t(`fs.discipline.${d.kind}`);
		const why = await promptText({ title: t('sf.disc.annulTitle'), message: t('sf.disc.annulText', { kind, day: d.day }), label: t('sf.disc.annulLabel'), required: true, okText: t('sf.disc.annul'), danger: true, maxlength: 1000, testid: 'disc-annul-dialog' });
		if (why === false) return;
		try {
			await api.patch(`/discipline/${d.id}`, { version: d.version, annulled: true, annulment: why });
			toast.success(t('sf.disc.annulDone', { kind }));
		} catch (err) {
			toast.error(err.message);
		}
		await reload();
	}

	/* ---- hand-backs (S5) ---- */

	function returnsSection() {
		const items = rec.returns.map((r) =>
			h(
				'li',
				{ class: ['return-item', r.returned ? 'is-done' : ''], 'data-item': r.item, 'data-returned': String(r.returned) },
				icon(r.returned ? 'check' : 'clock', r.returned ? 'text-success' : 'text-warning'),
				h('div', { class: 'return-main' }, h('strong', null, t(`fs.return.${r.item}`)), h('div', { class: 'small text-secondary' }, r.returned ? t('sf.return.doneAt', { time: fmtDateTime(r.returned_at) }) : t('sf.return.pending')), r.notes ? h('div', { class: 'small pre-line' }, r.notes) : null),
				r.returned ? tag(t('sf.return.done'), 'green') : can(P.returned) ? button(t('sf.return.mark'), { size: 'sm', cls: 'no-print', testid: 'return-done', onClick: () => markReturned(r) }) : tag(t('sf.return.open'), 'orange'),
			),
		);
		const open = rec.returns.filter((r) => !r.returned).length;
		return section('returns', t('sf.section.returns'), [open ? alertBox('warning', t('sf.return.openN', { n: open })) : alertBox('success', t('sf.return.allDone')), h('ul', { class: 'return-list', 'data-testid': 'return-list' }, items)]);
	}

	async function markReturned(r) {
		const notes = await promptText({ title: t('sf.return.markTitle', { item: t(`fs.return.${r.item}`) }), message: t('sf.return.markText', { name: rec.staff.name, item: t(`fs.return.${r.item}`) }), label: t('sf.return.notes'), maxlength: 1000, okText: t('sf.return.mark') });
		if (notes === false) return;
		const b = { version: r.version };
		if (notes) b.notes = notes;
		try {
			await api.post(`/staff-returns/${r.id}/returned`, b);
			toast.success(t('sf.return.saved', { item: t(`fs.return.${r.item}`) }));
		} catch (err) {
			toast.error(err.message);
		}
		await reload();
	}

	/* ---- badge (S5) ---- */

	function badgeSection() {
		return section('badge', t('sf.section.badge'), h('div', { class: 'sf-badge-body' }, spinner()));
	}

	function drawBadge() {
		const slot = slots.badge && slots.badge.querySelector('.sf-badge-body');
		if (!slot) return;
		const b = state.badge;
		if (b === undefined) {
			slot.replaceChildren(spinner());
			return;
		}
		if (b === null) {
			slot.replaceChildren(h('p', { class: 'text-secondary', 'data-testid': 'badge-none' }, rec.staff.status === 'candidate' ? t('sf.badge.candidate') : t('sf.badge.none')));
			return;
		}
		if (b instanceof Error) {
			slot.replaceChildren(errorState(b, () => {
				loadBadge();
				drawBadge();
			}));
			return;
		}
		const cardEl = FS.badgeCard(b, `/api/v1/staff/${id}/photo`);
		const print = button(t('sf.badge.print'), { icon: 'print', testid: 'badge-print', onClick: () => FS.printOnly(cardEl) });
		const reissue = can(P.badgeIssue) && rec.staff.status === 'active' ? button(t('sf.badge.reissue'), { testid: 'badge-reissue', onClick: () => reissueBadge(reissue) }) : null;
		slot.replaceChildren(
			h(
				'div',
				{ class: 'sf-badge' },
				cardEl,
				h(
					'div',
					{ class: 'sf-badge-side no-print' },
					descriptions(
						[
							[t('sf.badge.state'), b.valid ? tag(t('sf.badge.valid'), 'green', { 'data-testid': 'badge-valid' }) : tag(t('sf.badge.invalid'), 'red', { 'data-testid': 'badge-valid' })],
							[t('sf.badge.issuedAt'), fmtDateTime(b.issued_at)],
							[t('sf.badge.url'), h('span', { class: 'sf-url', 'data-testid': 'badge-url' }, b.url)],
						],
						{ cols: 1 },
					),
					h('p', { class: 'form-help' }, t('sf.badge.help')),
					h('div', { class: 'sf-actions' }, print, reissue),
				),
			),
		);
	}

	async function reissueBadge(btn) {
		const reason = await promptText({ title: t('sf.badge.reissue'), message: t('sf.badge.reissueText', { name: rec.staff.name }), label: t('sf.badge.reissueReason'), required: true, okText: t('sf.badge.reissue'), danger: true, placeholder: t('sf.badge.reissuePlaceholder') });
		if (!reason) return;
		await busy(btn, async () => {
			try {
				await api.post(`/staff/${id}/badge`, { reason });
				toast.success(t('sf.badge.reissued'));
			} catch (err) {
				toast.error(err.message);
			}
		});
		loadBadge();
		drawBadge();
	}

	/* ---- supervision (S6) ---- */

	function teamSection() {
		return section('team', t('sf.section.team'), h('div', { class: 'sf-team-body' }, spinner()));
	}

	function drawTeam() {
		const c = slots.team;
		if (!c) return;
		const p = state.team;
		const senior = rec.staff.level === 'senior';
		/* a section for the team only where there is one, or where there could be */
		c.hidden = Boolean(p) && p.total === 0 && !senior;
		const slot = c.querySelector('.sf-team-body');
		if (!p) {
			if (!slot.querySelector('.loading')) slot.replaceChildren(spinner());
			return;
		}
		if (!p.items.length) {
			slot.replaceChildren(h('p', { class: 'text-secondary', 'data-testid': 'team-empty' }, t('sf.team.empty')));
			return;
		}
		slot.replaceChildren(
			h('p', { class: 'text-secondary small sf-note' }, t('sf.team.count', { n: p.total })),
			h(
				'ul',
				{ class: 'team-list', 'data-testid': 'team-list' },
				p.items.map((m) => h('li', { 'data-staff': String(m.id) }, h('a', { href: `#/staff/${m.id}` }, m.name), h('span', { class: 'text-secondary small' }, m.staff_no), h('span', { class: 'small' }, t(`staff.level.${m.level}`)), statusTag(m.status))),
			),
		);
	}

	loadBadge();
	loadTeam();
	draw();
	loadSupervisor();
}
