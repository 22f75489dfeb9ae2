// Models: find a version; a version's page with its lineage graph, status (and changes where the role allows), history and drift policy.
import { ApiError, seg } from '../api';
import type { PageContext } from '../context';
import { facts, h, table, type Child } from '../dom';
import { busy, field, FormErrors, valuesOf, type Field } from '../forms';
import { formatTime } from '../format';
import { layoutLineage } from '../lineage-layout';
import { can, nextStatuses, whyNot } from '../permissions';
import type { Query } from '../router';
import type { DriftPolicy, LineageGraph, ModelVersion, WriteAnswer } from '../types';
import { badge, code, errorPanel, identity, link, loading, note, pageHeading, section } from '../ui';
import { lineageGraph } from '../views/lineage-graph';

export function modelLookupPage(ctx: PageContext, query: Query, mount: HTMLElement): void {
  const fields = [field({ name: 'modelId', label: 'Model id', value: query['modelId'] ?? '', required: true }), field({ name: 'version', label: 'Version', value: query['version'] ?? '', required: true })];
  const errors = new FormErrors(fields);
  const form = h('form', { 'aria-label': 'Open a model version', novalidate: true }, h('div', { class: 'grid' }, fields.map((f) => f.element)), errors.element, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Open')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const v = valuesOf(fields);
    const modelId = v['modelId'] ?? '';
    const version = v['version'] ?? '';
    if (modelId === '' || version === '') {
      errors.show({ status: 400, title: 'Missing field', errors: [...(modelId === '' ? [{ field: 'modelId', message: 'is required' }] : []), ...(version === '' ? [{ field: 'version', message: 'is required' }] : [])] });
      return;
    }
    ctx.navigate({ page: 'model', modelId, version });
  });
  mount.replaceChildren(pageHeading('Models'), section('Open a model version', 'lookup', form, h('p', { class: 'hint' }, 'Model versions are also linked from every decision and drift alert.')));
}

const ACTION_LABEL = { approved: 'Approve', deployed: 'Deploy', suspended: 'Suspend', retired: 'Retire' } as const;
type Target = keyof typeof ACTION_LABEL;
const TARGETS: readonly Target[] = ['approved', 'deployed', 'suspended', 'retired'];

function summary(model: ModelVersion): HTMLElement {
  const rows: [string, Child | Child[]][] = [
    ['Name', model.name],
    ['Status', badge(model.status)],
    ['Risk class', model.riskClass],
    ['Intended use', model.intendedUse],
    ['Framework', model.framework ?? '—'],
    ['Artifact SHA-256', code(model.artifactSha256)],
    ['Parents', model.parents.length === 0 ? 'none' : h('ul', { class: 'plain' }, model.parents.map((p) => h('li', {}, link({ page: 'model', modelId: p.modelId, version: p.version }, `${p.modelId} ${p.version}`), ` (${p.relation})`)))],
    ['Datasets', model.datasets.length === 0 ? 'none' : h('ul', { class: 'plain' }, model.datasets.map((d) => h('li', {}, `${d.datasetId} ${d.version} (${d.use})`)))],
    ['Training run', model.trainingRun === undefined ? '—' : `${model.trainingRun.runId} at ${model.trainingRun.codeRef}`],
    ['Open drift alerts', model.openDriftAlertIds.length === 0 ? 'none' : link({ page: 'drift', query: { modelId: model.modelId, modelVersion: model.version, state: 'open' } }, `${model.openDriftAlertIds.length} open`)],
    ['Registered', [`${formatTime(model.registeredAt)} by `, identity(model.registeredBy), ` (${model.ownerMsp})`]],
  ];
  return facts(rows);
}

function lineageSection(model: ModelVersion, up: LineageGraph, down: LineageGraph): HTMLElement {
  const layout = layoutLineage(up, down);
  const label = (key: string): string => key.replace(/^(model|dataset):/, '$1 ').replace('@', ' ');
  const relations = layout.edges.map((e) => h('li', {}, `${label(e.from)} — ${e.relation} → ${label(e.to)}`));
  return h(
    'div',
    {},
    h('div', { class: 'graph-wrap', tabindex: 0, role: 'region', 'aria-label': 'Lineage graph (scrolls sideways on small screens)' }, lineageGraph(layout, `Lineage of ${model.modelId} ${model.version}: ${layout.nodes.length} versions and datasets, ${layout.edges.length} links`)),
    h('p', { class: 'legend' }, h('span', { class: 'key key-ancestor' }, 'ancestor'), h('span', { class: 'key key-root' }, 'this version'), h('span', { class: 'key key-descendant' }, 'descendant'), h('span', { class: 'key key-dataset' }, 'dataset')),
    up.truncated || down.truncated ? note('The lineage is larger than shown: the walk stopped at its node limit.') : null,
    h('details', {}, h('summary', {}, `Lineage as a list (${relations.length} links)`), relations.length === 0 ? h('p', {}, 'No parents, datasets or descendants.') : h('ul', {}, relations)),
  );
}

const METRICS = ['psi', 'ks', 'js', 'wasserstein', 'chi2', 'custom'] as const;

/** An admin sets one metric's thresholds and the action on a critical alert; the chaincode checks their consistency. */
function policyForm(ctx: PageContext, model: ModelVersion, policy: DriftPolicy, base: string, reload: () => Promise<void>): HTMLElement {
  if (!can(ctx.principal.role, 'set-drift-policy')) return note(whyNot(ctx.principal.role, 'set-drift-policy'), 'forbidden');
  const metric = field({ name: 'metric', label: 'Metric', options: METRICS.map((m) => [m, m] as const) });
  const warning = field({ name: 'warning', label: 'Warning threshold', type: 'number' });
  const critical = field({ name: 'critical', label: 'Critical threshold', type: 'number' });
  const onCritical = field({ name: 'onCritical', label: 'On a critical alert', options: [['flag', 'Flag only'], ['suspend', 'Suspend the version']], value: policy.onCritical });
  for (const input of [warning.control, critical.control]) input.setAttribute('step', 'any');
  // The API names a bad pair as thresholds.<metric>: shown beside the thresholds.
  const thresholds: Field = { name: 'thresholds', control: warning.control, error: h('p', { class: 'field-error', id: `${warning.control.id}-pair`, hidden: true }), element: h('div', {}) };
  warning.control.setAttribute('aria-describedby', `${warning.control.getAttribute('aria-describedby') ?? ''} ${thresholds.error.id}`.trim());
  const errors = new FormErrors([metric, warning, critical, onCritical, thresholds]);
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Set drift policy');
  const form = h(
    'form',
    { 'aria-labelledby': 'policy-form-heading', novalidate: true },
    h('h3', { id: 'policy-form-heading' }, 'Set the drift policy'),
    h('p', { class: 'hint' }, 'Metrics not given keep their current thresholds; p-value metrics (ks, chi2) need critical below warning.'),
    h('div', { class: 'grid' }, metric.element, warning.element, critical.element, onCritical.element),
    thresholds.error,
    errors.element,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(submit, async () => {
      errors.clear();
      const v = valuesOf([metric, warning, critical, onCritical]);
      const number = (text: string | undefined): number | string => (text === undefined || text === '' || Number.isNaN(Number(text)) ? text ?? '' : Number(text));
      const body = { thresholds: { ...policy.thresholds, [v['metric'] ?? 'psi']: { warning: number(v['warning']), critical: number(v['critical']) } }, onCritical: v['onCritical'] };
      try {
        const answer = await ctx.api.put<WriteAnswer<DriftPolicy>>(`${base}/drift-policy`, body);
        ctx.announce(`Drift policy of ${model.modelId} ${model.version} set (block ${answer.receipt.blockNumber}).`);
        await reload();
      } catch (err) {
        if (err instanceof ApiError) errors.show(err.problem);
        else throw err;
      }
    });
  });
  return form;
}

function policySection(model: ModelVersion, policy: DriftPolicy): HTMLElement {
  const rows = Object.entries(policy.thresholds).flatMap(([metric, t]) => (t === undefined ? [] : [[metric, String(t.warning), String(t.critical)]]));
  return h(
    'div',
    { 'data-testid': 'drift-policy' },
    facts([
      ['Source', policy.source === 'default' ? 'defaults (no policy set)' : ['set by ', identity(policy.setBy ?? '?'), ` at ${formatTime(policy.setAt)}`]],
      ['On a critical alert', policy.onCritical === 'suspend' ? 'suspend the model version' : 'flag only'],
    ]),
    rows.length === 0
      ? h('p', { class: 'hint' }, 'Thresholds: the ledger defaults (PSI 0.1 / 0.25; JS and Wasserstein 0.1 / 0.2; KS and chi² p-values 0.05 / 0.01).')
      : table('Thresholds per metric', ['Metric', 'Warning', 'Critical'], rows),
    h('p', {}, link({ page: 'drift', query: { modelId: model.modelId, modelVersion: model.version } }, 'Drift alerts of this version')),
  );
}

export async function modelPage(ctx: PageContext, modelId: string, version: string, mount: HTMLElement): Promise<void> {
  const title = `Model ${modelId} ${version}`;
  const base = `/models/${seg(modelId)}/versions/${seg(version)}`;
  const render = async (): Promise<void> => {
    const [model, up, down, policy] = await Promise.allSettled([
      ctx.api.get<ModelVersion>(base),
      ctx.api.get<LineageGraph>(`${base}/lineage`, { direction: 'up', depth: '3' }),
      ctx.api.get<LineageGraph>(`${base}/lineage`, { direction: 'down', depth: '3' }),
      ctx.api.get<DriftPolicy>(`${base}/drift-policy`),
    ]);
    if (!ctx.alive()) return;
    if (model.status === 'rejected') {
      mount.replaceChildren(pageHeading(title), errorPanel(model.reason, 'the model version'));
      return;
    }
    const m = model.value;
    mount.replaceChildren(
      pageHeading(title, h('p', { class: 'subtitle' }, m.name, ' · ', badge(m.status))),
      h('div', { class: 'columns' }, section('Model version', 'summary', summary(m)), section('Status', 'status', statusArea(ctx, m, base, render))),
      section('Status history', 'status-history', statusHistory(m)),
      section('Lineage', 'lineage', up.status === 'fulfilled' && down.status === 'fulfilled' ? lineageSection(m, up.value, down.value) : errorPanel(up.status === 'rejected' ? up.reason : down.status === 'rejected' ? down.reason : undefined, 'the lineage')),
      section('Drift policy', 'policy', ...(policy.status === 'fulfilled' ? [policySection(m, policy.value), policyForm(ctx, m, policy.value, base, render)] : [errorPanel(policy.reason, 'the drift policy')])),
    );
  };
  mount.replaceChildren(pageHeading(title), loading('the model version'));
  ctx.onLive((event) => {
    if (event.name === 'ModelStatusChanged' && event.payload['modelId'] === modelId && event.payload['version'] === version) {
      ctx.announce(`Status of ${modelId} ${version} changed on the ledger.`);
      void render();
    }
  });
  await render();
}

function statusArea(ctx: PageContext, model: ModelVersion, base: string, reload: () => Promise<void>): HTMLElement {
  const allowed = nextStatuses(model.status);
  const mayChange = can(ctx.principal.role, 'change-model-status');
  const reason = field({ name: 'reason', label: 'Reason for the change', multiline: true, hint: 'Kept in the status history on the ledger.' });
  // A refused change (422 on status) shows in the form's alert right below the buttons.
  const errors = new FormErrors([reason]);
  const buttons = TARGETS.map((target) => {
    const possible = allowed.includes(target);
    const button = h('button', { type: 'button', 'data-target-status': target, disabled: !mayChange || !possible, title: !mayChange ? whyNot(ctx.principal.role, 'change-model-status') : possible ? undefined : `Not allowed from ${model.status}` }, ACTION_LABEL[target]);
    button.addEventListener('click', () => {
      void busy(button, async () => {
        errors.clear();
        try {
          const answer = await ctx.api.post<WriteAnswer<ModelVersion>>(`${base}/status`, { status: target, reason: reason.control.value.trim() });
          ctx.announce(`${model.modelId} ${model.version} is now ${answer.result.status} (block ${answer.receipt.blockNumber}).`);
          await reload();
        } catch (err) {
          if (err instanceof ApiError) errors.show(err.problem);
          else throw err;
        }
      });
      // busy() re-enables the button; the reloaded page decides again what is possible.
    });
    return button;
  });
  return h(
    'div',
    {},
    h('p', {}, 'Current status: ', badge(model.status)),
    mayChange ? reason.element : null,
    h('div', { class: 'actions', role: 'group', 'aria-label': 'Change the status' }, buttons),
    mayChange ? null : note(whyNot(ctx.principal.role, 'change-model-status'), 'forbidden'),
    errors.element,
  );
}

function statusHistory(model: ModelVersion): HTMLElement {
  return table(
    'Status changes, oldest first',
    ['When', 'Status', 'By', 'Reason'],
    model.statusHistory.map((c) => [formatTime(c.at), badge(c.status), c.actorRef ?? identity(c.by), [c.reason, c.alertId === undefined ? '' : ` (alert ${c.alertId})`].join('')]),
    { 'data-testid': 'status-history' },
  );
}
