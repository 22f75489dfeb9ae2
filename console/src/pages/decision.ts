// One decision: the record, its ledger anchor, its oversight trail (an officer adds a review here) and the history of its batch key.
import { ApiError, seg } from '../api';
import type { PageContext } from '../context';
import { facts, h, table, type Child } from '../dom';
import { busy, field, FormErrors, valuesOf } from '../forms';
import { formatTime, newId, shortId } from '../format';
import { can, whyNot } from '../permissions';
import type { AnchoredDecision, HistoryAnswer, OversightEntry, WriteAnswer } from '../types';
import { badge, code, errorPanel, identity, link, loading, note, pageHeading, section } from '../ui';

const IDENTIFIER = /^[A-Za-z0-9._:-]{1,128}$/;

function recordFacts({ decision }: AnchoredDecision): HTMLElement {
  const output = decision.output;
  const rows: [string, Child | Child[]][] = [
    ['Model', link({ page: 'model', modelId: decision.modelId, version: decision.modelVersion }, `${decision.modelId} ${decision.modelVersion}`)],
    ['Use case', decision.useCase],
    ['Output', [output.label ?? '', output.score === undefined ? '' : ` score ${output.score}`, output.value === undefined ? '' : ` value ${output.value}`].join('').trim() || '—'],
    ['Confidence / threshold', `${decision.confidence ?? '—'} / ${decision.threshold ?? '—'}`],
    ['Mode', decision.mode],
    ['Legal effect', decision.legalEffect ? 'yes' : 'no'],
    ['Decided at (client)', formatTime(decision.decidedAt)],
    ['Recorded at (ledger)', formatTime(decision.recordedAt)],
    ['Input SHA-256', code(decision.inputSha256)],
    ['Input schema', decision.inputSchema ?? '—'],
    ['Subject reference', decision.subjectRef === undefined ? '—' : link({ page: 'decisions', query: { subjectRef: decision.subjectRef } }, code(shortId(decision.subjectRef, 16), decision.subjectRef))],
    ['Retention until', formatTime(decision.retentionUntil)],
    ['Recorded by', [identity(decision.recordedBy), ` (${decision.ownerMsp})`]],
  ];
  if (decision.explanation !== undefined) {
    rows.push([
      `Explanation (${decision.explanation.method})`,
      h('ul', { class: 'plain' }, decision.explanation.topFactors.map((f) => h('li', {}, `${f.name}: ${f.weight}`))),
    ]);
  }
  rows.push([
    'Drift alerts open when recorded',
    decision.openDriftAlertIds.length === 0 ? 'none' : h('ul', { class: 'plain' }, decision.openDriftAlertIds.map((id) => h('li', {}, link({ page: 'decisions', query: { alertId: id } }, id)))),
  ]);
  return facts(rows);
}

function anchorFacts({ anchor, duplicateAnchors }: AnchoredDecision): HTMLElement {
  return h(
    'div',
    {},
    facts([
      ['Transaction', code(anchor.txId)],
      ['Block', h('span', { 'data-testid': 'anchor-block' }, anchor.blockNumber)],
      ['Transaction index', String(anchor.txIndex)],
      ['Batch', code(anchor.batchId)],
      ['Position in batch', String(anchor.position)],
    ]),
    duplicateAnchors.length === 0 ? null : note(`This decision id appears ${duplicateAnchors.length} more time(s) on the ledger: ${duplicateAnchors.map((a) => `block ${a.blockNumber} tx ${shortId(a.txId)}`).join(', ')}.`, 'forbidden'),
  );
}

export async function decisionPage(ctx: PageContext, decisionId: string, mount: HTMLElement): Promise<void> {
  mount.replaceChildren(pageHeading(`Decision ${decisionId}`), loading('the decision'));
  let found: AnchoredDecision;
  try {
    found = await ctx.api.get<AnchoredDecision>(`/decisions/${seg(decisionId)}`);
  } catch (err) {
    if (ctx.alive()) mount.replaceChildren(pageHeading(`Decision ${decisionId}`), errorPanel(err, 'the decision'));
    return;
  }
  if (!ctx.alive()) return;
  const { batchId } = found.anchor;
  const trail = h('div', {}, loading('the oversight trail'));
  const history = h('div', {}, loading('the history'));

  const loadTrail = async (): Promise<void> => {
    try {
      const { entries } = await ctx.api.get<{ entries: OversightEntry[] }>(`/decisions/${seg(decisionId)}/oversight`, { batchId });
      if (!ctx.alive()) return;
      trail.replaceChildren(
        table(
          'Human reviews of this decision, oldest first',
          ['When', 'Action', 'Reviewer', 'Reason', 'Review id'],
          entries.map((e) => [formatTime(e.at), badge(e.action), e.reviewerRef, e.reason ?? '—', code(e.oversightId)]),
          { 'data-testid': 'oversight-trail' },
        ),
      );
    } catch (err) {
      if (ctx.alive()) trail.replaceChildren(errorPanel(err, 'the oversight trail'));
    }
  };
  const loadHistory = async (): Promise<void> => {
    try {
      const answer = await ctx.api.get<HistoryAnswer>(`/history/batch/${seg(batchId)}`);
      if (!ctx.alive()) return;
      history.replaceChildren(
        h('p', { class: 'hint' }, `Every committed version of the batch key ${batchId}, which holds this record (reviews are records of their own, above).`),
        table('History of the batch key, oldest first', ['Ledger time', 'Transaction', 'Change'], answer.entries.map((e) => [formatTime(e.timestamp), code(shortId(e.txId, 16), e.txId), e.isDelete ? 'deleted' : 'written']), { 'data-testid': 'history' }),
      );
    } catch (err) {
      if (ctx.alive()) history.replaceChildren(errorPanel(err, 'the history'));
    }
  };

  let reviewArea: HTMLElement;
  if (can(ctx.principal.role, 'review-decision')) {
    const fields = [
      field({ name: 'oversightId', label: 'Review id', value: newId('review'), hint: 'Client-chosen; sending the same id and content again is harmless.' }),
      field({ name: 'reviewerRef', label: 'Reviewer reference', value: IDENTIFIER.test(ctx.principal.id) ? ctx.principal.id : '', hint: 'Pseudonymous reference of the human reviewer.' }),
      field({ name: 'action', label: 'Action', options: [['confirmed', 'Confirmed'], ['overridden', 'Overridden'], ['reversed', 'Reversed']] }),
      field({ name: 'reason', label: 'Reason', multiline: true, hint: 'Required when the decision is overridden or reversed.' }),
    ];
    const errors = new FormErrors(fields);
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Record review');
    const receipt = h('p', { class: 'receipt', role: 'status' });
    const form = h('form', { 'aria-labelledby': 'review-heading', novalidate: true }, h('h3', { id: 'review-heading' }, 'Add a review'), h('div', { class: 'grid' }, fields.map((f) => f.element)), errors.element, h('div', { class: 'actions' }, submit), receipt);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void busy(submit, async () => {
        errors.clear();
        receipt.textContent = '';
        const v = valuesOf(fields);
        const body = { oversightId: v['oversightId'], batchId, reviewerRef: v['reviewerRef'], action: v['action'], ...(v['reason'] === '' ? {} : { reason: v['reason'] }) };
        try {
          const answer = await ctx.api.post<WriteAnswer<OversightEntry>>(`/decisions/${seg(decisionId)}/oversight`, body);
          if (!ctx.alive()) return;
          receipt.textContent = `Review ${answer.result.oversightId} recorded in block ${answer.receipt.blockNumber} (transaction ${shortId(answer.receipt.txId)}).`;
          ctx.announce(receipt.textContent);
          const [idField, , , reasonField] = fields;
          if (idField !== undefined) idField.control.value = newId('review');
          if (reasonField !== undefined) reasonField.control.value = '';
          await Promise.all([loadTrail(), loadHistory()]);
        } catch (err) {
          if (err instanceof ApiError) errors.show(err.problem);
          else throw err;
        }
      });
    });
    reviewArea = form;
  } else {
    reviewArea = note(whyNot(ctx.principal.role, 'review-decision'), 'forbidden');
  }

  mount.replaceChildren(
    pageHeading(`Decision ${decisionId}`, h('p', { class: 'subtitle' }, `${found.decision.modelId} ${found.decision.modelVersion} · recorded ${formatTime(found.decision.recordedAt)}`)),
    h(
      'div',
      { class: 'columns' },
      section('Record', 'record', recordFacts(found)),
      h('div', {}, section('Ledger anchor', 'anchor', anchorFacts(found)), section('History', 'history', history)),
    ),
    section('Oversight trail', 'oversight', trail, reviewArea),
  );
  await Promise.all([loadTrail(), loadHistory()]);
}
