// Drift: a model's alerts by state, a timeline of their values against the thresholds, acknowledge/resolve with a note, live updates.
import { ApiError, seg } from '../api';
import type { PageContext } from '../context';
import { h, table } from '../dom';
import { busy, field, FormErrors, valuesOf } from '../forms';
import { formatTime } from '../format';
import { alertTargets, can, whyNot, type AlertTarget } from '../permissions';
import type { Query } from '../router';
import { timelinePanels, type Thresholds } from '../timeline';
import type { DriftAlert, DriftAlertPage, DriftPolicy, WriteAnswer } from '../types';
import { badge, errorPanel, link, loading, note, pageHeading, section } from '../ui';
import { timelineChart } from '../views/timeline-chart';

const STATES = [['', 'Any state'], ['open', 'Open'], ['acknowledged', 'Acknowledged'], ['resolved', 'Resolved'], ['false-positive', 'False positive']] as const;
const TARGET_LABEL: Readonly<Record<AlertTarget, string>> = { acknowledged: 'Acknowledge', resolved: 'Resolve', 'false-positive': 'False positive' };
const LIVE_EVENTS = new Set(['DriftAlertRaised', 'DriftAlertChanged', 'ModelStatusChanged']);
/** Pages read for the timeline (200 alerts each). */
const TIMELINE_PAGES = 5;

export async function driftPage(ctx: PageContext, query: Query, mount: HTMLElement): Promise<void> {
  const modelId = query['modelId'];
  const modelVersion = query['modelVersion'];
  const state = query['state'];
  const fields = [
    field({ name: 'modelId', label: 'Model id', value: modelId ?? '', required: true }),
    field({ name: 'modelVersion', label: 'Version (optional)', value: modelVersion ?? '' }),
    field({ name: 'state', label: 'State', options: STATES, value: state ?? '' }),
  ];
  const errors = new FormErrors(fields);
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter drift alerts', novalidate: true }, h('div', { class: 'grid' }, fields.map((f) => f.element)), errors.element, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Show alerts')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const v = valuesOf(fields);
    if ((v['modelId'] ?? '') === '') {
      errors.show({ status: 400, title: 'Missing field', errors: [{ field: 'modelId', message: 'is required: alerts are listed per model' }] });
      return;
    }
    ctx.navigate({ page: 'drift', query: Object.fromEntries(Object.entries(v).filter(([, value]) => value !== '')) });
  });
  const liveNote = h('p', { class: 'live-note', role: 'status', 'data-testid': 'live-note' });
  const chartArea = h('div', { class: 'charts' });
  const listArea = h('div', {});
  mount.replaceChildren(
    pageHeading('Drift alerts'),
    section('Filter', 'filter', form, liveNote),
    section('Timeline', 'timeline', chartArea),
    section('Alerts', 'alerts', listArea),
  );
  if (modelId === undefined) {
    chartArea.replaceChildren(h('p', { class: 'hint' }, 'Choose a model to see its drift alerts.'));
    listArea.replaceChildren();
    return;
  }

  const mayTransition = can(ctx.principal.role, 'transition-alert');
  /** Notes being typed survive a live refresh. */
  const drafts = new Map<string, string>();

  const alertsOf = async (filter: Record<string, string | undefined>, pages: number): Promise<DriftAlert[]> => {
    const all: DriftAlert[] = [];
    let bookmark: string | undefined;
    for (let i = 0; i < pages; i++) {
      const page = await ctx.api.get<DriftAlertPage>('/drift-alerts', { ...filter, pageSize: '200', bookmark });
      all.push(...page.alerts);
      if (page.bookmark === '') break;
      bookmark = page.bookmark;
    }
    return all;
  };

  const render = async (): Promise<void> => {
    try {
      const [everything, policy] = await Promise.all([
        alertsOf({ modelId, modelVersion }, TIMELINE_PAGES),
        modelVersion === undefined ? Promise.resolve(undefined) : ctx.api.get<DriftPolicy>(`/models/${seg(modelId)}/versions/${seg(modelVersion)}/drift-policy`).catch(() => undefined),
      ]);
      const listed = state === undefined ? everything : await alertsOf({ modelId, modelVersion, state }, TIMELINE_PAGES);
      if (!ctx.alive()) return;
      const thresholds: Record<string, Thresholds | undefined> = policy === undefined ? {} : policy.thresholds;
      // Drawn to the width there is, so that labels stay readable on a phone and the chart fills a desktop.
      const panels = timelinePanels(everything, thresholds, { width: Math.round(Math.max(300, Math.min(900, chartArea.clientWidth || 640))), height: 220 });
      chartArea.replaceChildren(
        ...(panels.length === 0
          ? [h('p', { class: 'hint' }, 'No alerts to draw.')]
          : panels.map((panel) =>
              h('figure', { class: 'chart' }, h('div', { class: 'graph-wrap' }, timelineChart(panel)), h('figcaption', {}, `${panel.metric}${panel.lowerIsWorse ? ' (p-value: lower is more drift)' : ''} — dots by severity (`, h('span', { class: 'key key-warning' }, 'warning'), ', ', h('span', { class: 'key key-critical' }, 'critical'), '); hollow when closed; dashed lines are the thresholds.')),
            )),
      );
      listArea.replaceChildren(
        mayTransition ? h('p', { class: 'hint' }, 'Acknowledge an alert while you look into it; resolve it or mark it a false positive to close it. A note is kept with the change on the ledger.') : note(whyNot(ctx.principal.role, 'transition-alert'), 'forbidden'),
        table(
          `Drift alerts of ${modelId}${modelVersion === undefined ? '' : ` ${modelVersion}`}${state === undefined ? '' : `, ${state}`}`,
          ['Alert', 'Version', 'Metric', 'Value / threshold', 'Severity', 'State', 'Window ends', mayTransition ? 'Act' : 'Last change'],
          listed.map((alert) => [
            h('span', { 'data-alert-row': alert.alertId }, alert.alertId),
            link({ page: 'model', modelId: alert.modelId, version: alert.modelVersion }, alert.modelVersion),
            `${alert.metric}${alert.feature === undefined ? '' : ` (${alert.feature})`}`,
            `${alert.value} / ${alert.threshold}`,
            badge(alert.severity),
            h('span', { 'data-testid': `state-${alert.alertId}` }, badge(alert.state)),
            formatTime(alert.window.to),
            mayTransition ? actions(alert) : lastChange(alert),
          ]),
          { 'data-testid': 'alert-list' },
        ),
      );
    } catch (err) {
      if (!ctx.alive()) return;
      if (err instanceof ApiError) errors.show(err.problem);
      listArea.replaceChildren(errorPanel(err, 'the drift alerts'));
      chartArea.replaceChildren();
    }
  };

  const lastChange = (alert: DriftAlert): string => {
    const last = alert.transitions.at(-1);
    return last === undefined ? '—' : `${last.state} ${formatTime(last.at)}${last.note === undefined ? '' : `: ${last.note}`}`;
  };

  const actions = (alert: DriftAlert): HTMLElement => {
    const targets = alertTargets(alert.state);
    if (targets.length === 0) return h('span', {}, lastChange(alert));
    const noteField = field({ name: 'note', label: `Note for ${alert.alertId}`, value: drafts.get(alert.alertId) ?? '' });
    noteField.control.addEventListener('input', () => drafts.set(alert.alertId, noteField.control.value));
    const rowErrors = new FormErrors([noteField]);
    const buttons = targets.map((to) => {
      const button = h('button', { type: 'button', 'data-transition': to, 'aria-label': `${TARGET_LABEL[to]} ${alert.alertId}` }, TARGET_LABEL[to]);
      button.addEventListener('click', () => {
        void busy(button, async () => {
          rowErrors.clear();
          const text = noteField.control.value.trim();
          try {
            const answer = await ctx.api.post<WriteAnswer<DriftAlert>>(`/drift-alerts/${seg(alert.alertId)}/transitions`, { to, ...(text === '' ? {} : { note: text }) });
            drafts.delete(alert.alertId);
            ctx.announce(`${alert.alertId} is now ${answer.result.state} (block ${answer.receipt.blockNumber}).`);
            if (ctx.alive()) await render();
          } catch (err) {
            if (err instanceof ApiError) rowErrors.show(err.problem);
            else throw err;
          }
        });
      });
      return button;
    });
    return h('div', { class: 'row-actions' }, noteField.element, h('div', { class: 'actions' }, buttons), rowErrors.element);
  };

  chartArea.replaceChildren(loading('the timeline'));
  listArea.replaceChildren(loading('the alerts'));
  let pending: ReturnType<typeof setTimeout> | undefined;
  ctx.onLive((event) => {
    if (!LIVE_EVENTS.has(event.name) || event.payload['modelId'] !== modelId) return;
    if (modelVersion !== undefined && event.payload['version'] !== undefined && event.payload['version'] !== modelVersion) return;
    const alertId = typeof event.payload['alertId'] === 'string' ? ` ${event.payload['alertId']}` : '';
    liveNote.textContent = `Live update ${new Date().toLocaleTimeString()}: ${event.name}${alertId}${event.blockNumber === undefined ? '' : ` (block ${event.blockNumber})`}.`;
    // Several events of one block come together: refresh once.
    clearTimeout(pending);
    pending = setTimeout(() => void render(), 150);
  });
  ctx.onLeave(() => clearTimeout(pending));
  await render();
}
