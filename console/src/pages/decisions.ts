// Decisions: search by model, version, time range, subject and alert, paged; start an evidence export for the same filter.
import { ApiError, seg } from '../api';
import type { PageContext } from '../context';
import { h, table } from '../dom';
import { busy, field, FormErrors, valuesOf } from '../forms';
import { formatTime, isoToLocalInput, localInputToIso, shortId } from '../format';
import { can, whyNot } from '../permissions';
import type { Query } from '../router';
import type { DecisionSearchPage, ExportAccepted, ExportStatus } from '../types';
import { errorPanel, link, loading, note, pageHeading, section } from '../ui';

export const FILTER_FIELDS = ['modelId', 'modelVersion', 'from', 'to', 'subjectRef', 'alertId'] as const;

/** Bookmarks of the pages before the current one, per filter, for "Previous page". */
const trails = new Map<string, string[]>();
const filterKey = (query: Query): string => FILTER_FIELDS.map((f) => query[f] ?? '').join('\u0000') + (query['pageSize'] ?? '');

export async function decisionsPage(ctx: PageContext, query: Query, mount: HTMLElement): Promise<void> {
  const fields = [
    field({ name: 'modelId', label: 'Model id', value: query['modelId'] ?? '' }),
    field({ name: 'modelVersion', label: 'Model version', value: query['modelVersion'] ?? '', hint: 'Needs the model id.' }),
    field({ name: 'from', label: 'Recorded from (your local time)', type: 'datetime-local', value: isoToLocalInput(query['from']) }),
    field({ name: 'to', label: 'Recorded until (your local time)', type: 'datetime-local', value: isoToLocalInput(query['to']) }),
    field({ name: 'subjectRef', label: 'Subject reference', value: query['subjectRef'] ?? '', hint: '64 hex digits: the salted hash the recorder sent.' }),
    field({ name: 'alertId', label: 'Recorded while drift alert was open', value: query['alertId'] ?? '' }),
    field({ name: 'pageSize', label: 'Per page', options: ['10', '25', '50', '100'].map((n) => [n, n] as const), value: query['pageSize'] ?? '25' }),
  ];
  const errors = new FormErrors(fields);
  const searchButton = h('button', { type: 'submit', class: 'primary' }, 'Search');
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Search decisions', novalidate: true }, h('div', { class: 'grid' }, fields.map((f) => f.element)), errors.element, h('div', { class: 'actions' }, searchButton, h('a', { href: '#/decisions', class: 'button' }, 'Clear')));

  const filterOf = (): Record<string, string | undefined> => {
    const v = valuesOf(fields);
    return {
      modelId: v['modelId'],
      modelVersion: v['modelVersion'],
      from: localInputToIso(v['from'] ?? ''),
      to: localInputToIso(v['to'] ?? ''),
      subjectRef: v['subjectRef'],
      alertId: v['alertId'],
    };
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next: Query = Object.fromEntries(Object.entries({ ...filterOf(), pageSize: valuesOf(fields)['pageSize'] }).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
    trails.delete(filterKey(next));
    ctx.navigate({ page: 'decisions', query: next });
  });

  const exportArea = h('div', { class: 'export-area' });
  if (can(ctx.principal.role, 'export')) {
    const exportButton = h('button', { type: 'button' }, 'Export decisions matching this filter');
    exportButton.addEventListener('click', () => {
      void busy(exportButton, async () => {
        errors.clear();
        try {
          const filter = Object.fromEntries(Object.entries(filterOf()).filter(([, v]) => v !== undefined && v !== ''));
          const accepted = await ctx.api.post<ExportAccepted>('/exports', filter);
          const status = await ctx.api.get<ExportStatus>(`/exports/${seg(accepted.exportId)}`);
          ctx.exports.set(accepted.exportId, status);
          ctx.announce(`Export ${accepted.exportId} started.`);
          ctx.navigate({ page: 'export', exportId: accepted.exportId });
        } catch (err) {
          if (err instanceof ApiError) errors.show(err.problem);
          else throw err;
        }
      });
    });
    exportArea.append(exportButton, h('p', { class: 'hint' }, 'Builds a bundle of the matching records and the blocks that hold them, verifiable offline with aiaudit-verify.'));
  } else {
    exportArea.append(note(whyNot(ctx.principal.role, 'export'), 'forbidden'));
  }

  const results = h('div', { class: 'results' }, loading('decisions'));
  mount.replaceChildren(pageHeading('Decisions'), section('Search', 'search', form, exportArea), section('Results', 'results', results));

  const key = filterKey(query);
  const trail = trails.get(key) ?? [];
  try {
    const page = await ctx.api.get<DecisionSearchPage>('/decisions', { ...Object.fromEntries(FILTER_FIELDS.map((f) => [f, query[f]])), pageSize: query['pageSize'] ?? '25', bookmark: query['bookmark'] });
    if (!ctx.alive()) return;
    const rows = page.decisions.map(({ decision, anchor }) => [
      link({ page: 'decision', decisionId: decision.decisionId }, decision.decisionId),
      link({ page: 'model', modelId: decision.modelId, version: decision.modelVersion }, `${decision.modelId} ${decision.modelVersion}`),
      formatTime(decision.recordedAt),
      [decision.output.label ?? '', decision.output.score === undefined ? '' : ` (${decision.output.score})`, decision.output.value === undefined ? '' : ` ${decision.output.value}`].join('').trim() || '—',
      decision.mode,
      h('span', { title: anchor.txId }, `#${anchor.blockNumber} · ${shortId(anchor.txId, 8)}`),
    ]);
    const pager = h('div', { class: 'actions pager' });
    if (trail.length > 0 || query['bookmark'] !== undefined) {
      const previous = h('button', { type: 'button' }, 'Previous page');
      previous.addEventListener('click', () => {
        const before = trail.slice(0, -1);
        trails.set(key, before);
        const back = trail.at(-1);
        const { bookmark: _current, ...rest } = query;
        ctx.navigate({ page: 'decisions', query: back === undefined || back === '' ? rest : { ...rest, bookmark: back } });
      });
      pager.append(previous);
    }
    if (page.bookmark !== '') {
      const next = h('button', { type: 'button' }, 'Next page');
      next.addEventListener('click', () => {
        trails.set(key, [...trail, query['bookmark'] ?? '']);
        ctx.navigate({ page: 'decisions', query: { ...query, bookmark: page.bookmark } });
      });
      pager.append(next);
    }
    results.replaceChildren(
      h('p', { class: 'count', role: 'status' }, `${page.decisions.length} decision${page.decisions.length === 1 ? '' : 's'} on page ${trail.length + 1}${page.bookmark === '' ? '' : '; more follow'}.`),
      table('Decisions matching the filter, in ledger order', ['Decision', 'Model', 'Recorded', 'Output', 'Mode', 'Block · tx'], rows, { 'data-testid': 'decision-results' }),
      pager,
    );
  } catch (err) {
    if (!ctx.alive()) return;
    if (err instanceof ApiError) errors.show(err.problem);
    results.replaceChildren(errorPanel(err, 'decisions'));
  }
}
