/*
 * export.js — the "export CSV / export Excel" buttons of a list page. The
 * server answers GET <list route>?format=csv|xlsx with the whole filtered
 * list as a file (docs/api.md, Export); the buttons ask for it with the
 * list's current filters and sort and hand it to the browser as a download.
 * Personal data stays masked in an export, and the server records each one
 * in the audit trail.
 */
import { h } from './dom.js';
import { t } from './i18n.js';
import { fetchFile } from './api.js';
import { button, busy, toast, saveBlob } from './ui.js';
import { todayIso } from './format.js';

export const FORMATS = ['csv', 'xlsx'];

/* Downloads path?…query&format=…; the name is the server's, else base-date.ext. */
export async function exportFile(path, query, format, base) {
	const { blob, filename } = await fetchFile(path, { ...query, format });
	const name = filename || `${base}-${todayIso().replace(/-/g, '')}.${format}`;
	saveBlob(blob, name);
	return name;
}

/*
 * exportButtons({path, query, base, testid}) — query() gives the filters of
 * the moment (ListView.exportQuery()). Test ids: <testid>-csv, <testid>-xlsx.
 */
export function exportButtons({ path, query, base, testid = 'export' }) {
	const buttons = FORMATS.map((format) => {
		const b = button(t(`export.${format}`), {
			icon: 'download',
			testid: `${testid}-${format}`,
			title: t('export.hint'),
			onClick: () =>
				busy(b, async () => {
					try {
						const name = await exportFile(path, query(), format, base);
						toast.success(t('export.done', { name }));
					} catch (err) {
						toast.error(err.message);
					}
				}),
		});
		return b;
	});
	return h('div', { class: 'btn-group', role: 'group', 'aria-label': t('export.label') }, buttons);
}
