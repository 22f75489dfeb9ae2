// Exports: the ones started in this tab, one export's progress (polled) and the download of its bundle once done.
import { ApiError, seg } from '../api';
import type { PageContext } from '../context';
import { facts, h, table } from '../dom';
import { busy, FormErrors } from '../forms';
import { formatBytes, formatTime, shortId } from '../format';
import type { ExportStatus } from '../types';
import { badge, code, errorPanel, link, loading, pageHeading, section } from '../ui';

const POLL_MS = 1_000;

export function exportsPage(ctx: PageContext, mount: HTMLElement): void {
  const rows = [...ctx.exports.values()]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((e) => [link({ page: 'export', exportId: e.exportId }, e.exportId), badge(e.state), filterText(e.filter), String(e.counts.records), formatTime(e.createdAt)]);
  mount.replaceChildren(
    pageHeading('Exports'),
    section(
      'Exports started in this tab',
      'exports',
      h('p', { class: 'hint' }, 'To start an export, ', link({ page: 'decisions', query: {} }, 'search decisions'), ' and choose “Export decisions matching this filter”. The gateway keeps finished bundles; this list lasts as long as the tab.'),
      table('Exports', ['Export', 'State', 'Filter', 'Records', 'Started'], rows),
    ),
  );
}

const filterText = (filter: Record<string, string>): string => Object.entries(filter).map(([k, v]) => `${k}=${v.length > 24 ? shortId(v, 16) : v}`).join(', ') || 'everything visible to your org';

function statusView(status: ExportStatus): HTMLElement {
  const finished = status.state === 'done' || status.state === 'failed';
  const progress = h('progress', { 'aria-label': `Export ${status.state}`, max: 1, ...(finished ? { value: 1 } : {}) });
  return h(
    'div',
    {},
    h('p', { class: 'export-state' }, 'State: ', h('span', { 'data-testid': 'export-state', 'data-state': status.state }, badge(status.state)), ' ', progress),
    facts([
      ['Filter', filterText(status.filter)],
      ['Scope', status.ownerMsp === undefined ? 'every org (regulator)' : `${status.ownerMsp} only`],
      ['Records', String(status.counts.records)],
      ['Blocks', `${status.counts.blocks} (+ ${status.counts.configBlocks} config)`],
      ['Size', formatBytes(status.bytes)],
      ['Started', formatTime(status.startedAt ?? status.createdAt)],
      ['Finished', formatTime(status.finishedAt)],
      ['Bundle SHA-256', status.bundleSha256 === undefined ? '—' : code(status.bundleSha256)],
      ['Manifest SHA-256', status.manifestSha256 === undefined ? '—' : code(status.manifestSha256)],
    ]),
    status.error === undefined ? null : h('div', { class: 'form-error', role: 'alert' }, h('p', {}, `The export failed: ${status.error}`)),
  );
}

export async function exportPage(ctx: PageContext, exportId: string, mount: HTMLElement): Promise<void> {
  const body = h('div', {}, loading('the export'));
  const downloadArea = h('div', { class: 'download' });
  mount.replaceChildren(pageHeading(`Export ${exportId}`), section('Progress', 'progress', body, downloadArea));
  let timer: ReturnType<typeof setTimeout> | undefined;
  ctx.onLeave(() => clearTimeout(timer));
  let announcedDone = false;

  const offerDownload = (status: ExportStatus): void => {
    if (downloadArea.childElementCount > 0) return;
    const button = h('button', { type: 'button', class: 'primary' }, 'Download bundle (.tar.gz)');
    const errors = new FormErrors([]);
    button.addEventListener('click', () => {
      void busy(button, async () => {
        errors.clear();
        try {
          const { blob, filename } = await ctx.api.download(`/exports/${seg(exportId)}/bundle`);
          const url = URL.createObjectURL(blob);
          const anchor = h('a', { href: url, download: filename, hidden: true });
          document.body.append(anchor);
          anchor.click();
          anchor.remove();
          setTimeout(() => URL.revokeObjectURL(url), 60_000);
          ctx.announce(`Downloading ${filename} (${formatBytes(blob.size)}).`);
        } catch (err) {
          if (err instanceof ApiError) errors.show(err.problem);
          else throw err;
        }
      });
    });
    downloadArea.append(button, h('p', { class: 'hint' }, `Check it offline: npm run verify -- <file>${status.manifestSha256 === undefined ? '' : ` --manifest-sha256 ${status.manifestSha256}`}`), errors.element);
  };

  const poll = async (): Promise<void> => {
    try {
      const status = await ctx.api.get<ExportStatus>(`/exports/${seg(exportId)}`);
      ctx.exports.set(exportId, status);
      if (!ctx.alive()) return;
      body.replaceChildren(statusView(status));
      if (status.state === 'done') {
        offerDownload(status);
        if (!announcedDone) ctx.announce(`Export ${exportId} is done: ${status.counts.records} records.`);
        announcedDone = true;
        return;
      }
      if (status.state === 'failed') return;
    } catch (err) {
      if (!ctx.alive()) return;
      body.replaceChildren(errorPanel(err, 'the export'));
      if (err instanceof ApiError && err.status > 0 && err.status < 500) return;
    }
    timer = setTimeout(() => void poll(), POLL_MS);
  };
  await poll();
}
