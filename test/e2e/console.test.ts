// Browser tests of the web console: a real Chromium (Debian's chromium via playwright-core) against the gateway, in-process on the
// real network with the decision pipeline and exports, serving the built console at /. Screenshots go to test-results/console/.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exampleDataset, exampleDecision, exampleDriftAlert, exampleModel } from '../../chaincode/src/domain/examples.js';
import { decisionPipelineModule } from '../../gateway/src/decisions/index.js';
import { exportModule } from '../../gateway/src/export/index.js';
import { eventually, newDataDir, startDecisionGateway } from '../support/decision-gateway.js';
import { PRINCIPALS, seg, type PrincipalName } from '../support/gateway.js';
import { runTag } from '../support/ledger.js';
import { repoRoot } from '../support/script.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(repoRoot, 'test-results', 'console');
const UI_TIMEOUT = 30_000;

interface ConsoleGateway {
  baseUrl: string;
  keyOf(who: PrincipalName): string;
  call(who: PrincipalName, method: 'GET' | 'POST' | 'PUT', path: string, body?: object): Promise<request.Response>;
  close(): Promise<void>;
}

/** The gateway as main wires it (decision pipeline, exports; the console from console/dist by default) on 127.0.0.1:0. */
async function startConsoleGateway(dataDir: string): Promise<ConsoleGateway> {
  const gw = await startDecisionGateway(dataDir, {}, [decisionPipelineModule(), exportModule()]);
  return {
    baseUrl: gw.baseUrl,
    keyOf: gw.keyOf,
    call: (who, method, path, body) => gw.call(who, method, path, method === 'GET' ? {} : { body: body ?? {} }),
    close: gw.close,
  };
}

/** The console as `npm test` builds it; built here when missing so that the test runs on its own. */
function ensureConsoleBuilt(): void {
  if (existsSync(join(repoRoot, 'console', 'dist', 'index.html'))) return;
  const build = spawnSync('npm', ['run', 'build', '-w', 'console'], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build -w console failed:\n${build.stdout}\n${build.stderr}`);
}

describe('web console in Chromium', () => {
  const dataDir = newDataDir();
  const work = mkdtempSync(join(tmpdir(), 'aiaudit-console-e2e-'));
  const tag = `${runTag}${Math.random().toString(36).slice(2, 6)}`;
  const datasetId = `con-ds-${tag}`;
  const parentId = `con-parent-${tag}`;
  const modelId = `con-model-${tag}`;
  const childId = `con-child-${tag}`;
  const subjectRef = createHash('sha256').update(`console subject ${tag}`).digest('hex');
  const decisionIds = [0, 1, 2].map((i) => `con-dec-${tag}-${i}`);
  const alertIds = { warning: `con-alert-w-${tag}`, critical: `con-alert-c-${tag}`, live: `con-alert-live-${tag}` };
  const driftAlert = (alertId: string, value: number, to: string) =>
    exampleDriftAlert({ alertId, modelId, modelVersion: '1.0.0', metric: 'psi', value, window: { from: '2025-03-01T00:00:00Z', to } });

  let gw: ConsoleGateway;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(SHOTS, { recursive: true });
    gw = await startConsoleGateway(dataDir);
    const created = async (path: string, body: object) => {
      const res = await gw.call('opRecorder', 'POST', path, body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
    };
    await created('/datasets', exampleDataset({ datasetId, version: 'v1' }));
    await created('/models', exampleModel({ modelId: parentId, version: '1.0.0', datasets: [{ datasetId, version: 'v1', use: 'training' }] }));
    await created('/models', exampleModel({ modelId, version: '1.0.0', parents: [{ modelId: parentId, version: '1.0.0', relation: 'fine-tuned-from' }], datasets: [{ datasetId, version: 'v1', use: 'training' }] }));
    await created('/models', exampleModel({ modelId: childId, version: '1.0.0', parents: [{ modelId, version: '1.0.0', relation: 'fine-tuned-from' }], datasets: [] }));
    await created('/decisions', {
      decisions: decisionIds.map((decisionId, i) => exampleDecision({ decisionId, modelId, modelVersion: '1.0.0', ...(i === 1 ? { subjectRef } : {}) })),
    });
    await created('/drift-alerts', driftAlert(alertIds.warning, 0.17, '2025-03-07T00:00:00Z'));
    await created('/drift-alerts', driftAlert(alertIds.critical, 0.31, '2025-03-14T00:00:00Z'));
    // The index (search, anchors, events) follows committed blocks: wait until it has the decisions.
    await eventually(async () => ((await gw.call('opOfficer', 'GET', `/decisions/${seg(decisionIds[2] ?? '')}`)).status === 200 ? true : undefined), 60_000, 250);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Chromium's sandbox cannot start as root (CI containers).
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await gw?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  /** Script errors and CSP violations in the pages of the current test (refused API calls are expected and not counted). */
  let pageProblems: string[] = [];
  afterEach(() => {
    const seen = pageProblems;
    pageProblems = [];
    expect(seen).toEqual([]);
  });

  async function newPage(width = 1280, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('pageerror', (err) => pageProblems.push(`page error: ${err.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageProblems.push(`console: ${message.text()}`);
    });
    return page;
  }

  async function signIn(page: Page, who: PrincipalName, hash = ''): Promise<void> {
    await page.goto(`${gw.baseUrl}/${hash}`);
    await page.getByLabel('API key or JWT').fill(gw.keyOf(who));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.who', { hasText: `${PRINCIPALS[who].role} · ${PRINCIPALS[who].org}` }).waitFor();
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('signs in: a bad key is refused beside the field, a good key signs in, and the key is kept in memory only', async () => {
    const page = await newPage();
    await page.goto(`${gw.baseUrl}/`);
    await shot(page, 'sign-in');
    const keyField = page.getByLabel('API key or JWT');
    await keyField.fill('aiaudit_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const fieldError = page.locator('.field-error', { hasText: 'the API key is not valid' });
    await fieldError.waitFor();
    expect(await keyField.getAttribute('aria-invalid')).toBe('true');
    expect(await keyField.getAttribute('aria-describedby')).toContain(await fieldError.getAttribute('id'));

    const key = gw.keyOf('opOfficer');
    await keyField.fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.who', { hasText: 'officer · OperatorOrgMSP' }).waitFor();
    await page.locator('.live-status[data-state="live"]').waitFor();
    const stored = await page.evaluate('JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])');
    expect(String(stored)).not.toContain(key);
    expect(await page.context().cookies()).toEqual([]);

    // Memory only: a reload signs out.
    await page.reload();
    await page.getByLabel('API key or JWT').waitFor();
  });

  it('finds a decision by model and subject, shows its record, anchor, oversight trail and history, and records an officer review', async () => {
    const page = await newPage();
    await signIn(page, 'opOfficer');
    await page.getByLabel('Model id').fill(modelId);
    await page.getByLabel('Subject reference').fill('not-a-hash');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('.field-error').filter({ hasText: /64/ }).waitFor();
    expect(await page.getByLabel('Subject reference').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Subject reference').fill(subjectRef);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const results = page.locator('[data-testid="decision-results"] tbody tr');
    await page.locator('.count', { hasText: '1 decision on page 1' }).waitFor();
    expect(await results.count()).toBe(1);
    await shot(page, 'decisions');

    const expected = (await gw.call('opOfficer', 'GET', `/decisions/${seg(decisionIds[1] ?? '')}`)).body as { anchor: { txId: string; blockNumber: string; batchId: string } };
    await results.getByRole('link', { name: decisionIds[1] }).click();
    await page.getByRole('heading', { level: 1, name: `Decision ${decisionIds[1]}` }).waitFor();
    await page.locator('#anchor').getByText(expected.anchor.txId).waitFor();
    expect(await page.getByTestId('anchor-block').textContent()).toBe(expected.anchor.blockNumber);
    await page.locator('#record').getByText(subjectRef.slice(0, 16)).waitFor();
    await page.locator('[data-testid="history"] tbody tr').first().waitFor();
    expect(await page.locator(`[data-testid="history"] [title="${expected.anchor.txId}"]`).count()).toBeGreaterThan(0);
    await page.locator('[data-testid="oversight-trail"] td.empty').waitFor();

    // The API's field error appears beside the field: an override needs a reason.
    await page.getByLabel('Action').selectOption('overridden');
    await page.getByRole('button', { name: 'Record review' }).click();
    await page.locator('.field-error', { hasText: 'is required when the decision is overridden or reversed' }).waitFor();
    expect(await page.getByLabel('Reason', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    const reason = `manual check ${tag}: income evidence was outdated`;
    await page.getByLabel('Reason', { exact: true }).fill(reason);
    await page.getByRole('button', { name: 'Record review' }).click();
    await page.locator('.receipt', { hasText: 'recorded in block' }).waitFor();
    const row = page.locator('[data-testid="oversight-trail"] tbody tr', { hasText: reason });
    await row.waitFor();
    expect(await row.textContent()).toContain('overridden');
    const trail = await gw.call('regulator', 'GET', `/decisions/${seg(decisionIds[1] ?? '')}/oversight`);
    expect(trail.body.entries).toEqual([expect.objectContaining({ action: 'overridden', reason, decisionId: decisionIds[1] })]);
    await shot(page, 'decision');
  });

  it('pages through search results and back', async () => {
    const page = await newPage();
    await signIn(page, 'opOfficer', `#/decisions?modelId=${seg(modelId)}&pageSize=2`);
    await page.locator('.count', { hasText: '2 decisions on page 1; more follow' }).waitFor();
    const firstPage = await page.locator('[data-testid="decision-results"] tbody tr a[href^="#/decisions/"]').allTextContents();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.locator('.count', { hasText: '1 decision on page 2.' }).waitFor();
    const secondPage = await page.locator('[data-testid="decision-results"] tbody tr a[href^="#/decisions/"]').allTextContents();
    expect([...firstPage, ...secondPage].sort()).toEqual([...decisionIds].sort());
    expect(await page.getByRole('button', { name: 'Next page' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.locator('.count', { hasText: '2 decisions on page 1' }).waitFor();
    expect(await page.locator('[data-testid="decision-results"] tbody tr a[href^="#/decisions/"]').allTextContents()).toEqual(firstPage);

    // A time range around the ledger time of the decisions (entered in the browser's local time) finds all three; one before it none.
    const recordedAt = Date.parse(((await gw.call('opOfficer', 'GET', `/decisions/${seg(decisionIds[0] ?? '')}`)).body as { decision: { recordedAt: string } }).decision.recordedAt);
    const local = async (ms: number): Promise<string> =>
      String(await page.evaluate(`(() => { const d = new Date(${ms}); const p = (n) => String(n).padStart(2, '0'); return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()); })()`));
    await page.getByLabel('Recorded from').fill(await local(recordedAt - 120_000));
    await page.getByLabel('Recorded until').fill(await local(recordedAt + 120_000));
    await page.getByLabel('Per page').selectOption('25');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('.count', { hasText: '3 decisions on page 1.' }).waitFor();
    await page.getByLabel('Recorded from').fill(await local(recordedAt - 3_600_000));
    await page.getByLabel('Recorded until').fill(await local(recordedAt - 1_800_000));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('.count', { hasText: '0 decisions on page 1.' }).waitFor();
    // Until before from: the API's refusal appears beside "Recorded until".
    await page.getByLabel('Recorded until').fill(await local(recordedAt - 7_200_000));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('.field-error', { hasText: 'from must not be after to' }).waitFor();
    expect(await page.getByLabel('Recorded until').getAttribute('aria-invalid')).toBe('true');
  });

  it("draws a model version's lineage graph with its ancestor, dataset and descendant, and changes its status", async () => {
    const page = await newPage();
    await signIn(page, 'opOfficer', `#/models/${seg(modelId)}/1.0.0`);
    const graph = page.locator('svg.lineage-graph');
    await graph.waitFor();
    const node = (key: string) => graph.locator(`g.node[data-key="${key}"]`);
    expect(await node(`model:${modelId}@1.0.0`).getAttribute('data-place')).toBe('root');
    expect(await node(`model:${parentId}@1.0.0`).getAttribute('data-place')).toBe('ancestor');
    expect(await node(`dataset:${datasetId}@v1`).getAttribute('data-kind')).toBe('dataset');
    expect(await node(`model:${childId}@1.0.0`).getAttribute('data-place')).toBe('descendant');
    expect(await graph.locator('g.node').count()).toBe(4);
    const edge = (from: string, to: string) => graph.locator(`g.edge[data-from="${from}"][data-to="${to}"]`);
    expect(await edge(`model:${modelId}@1.0.0`, `model:${parentId}@1.0.0`).getAttribute('data-relation')).toBe('fine-tuned-from');
    expect(await edge(`model:${modelId}@1.0.0`, `dataset:${datasetId}@v1`).getAttribute('data-relation')).toBe('training');
    expect(await edge(`model:${parentId}@1.0.0`, `dataset:${datasetId}@v1`).getAttribute('data-relation')).toBe('training');
    expect(await edge(`model:${childId}@1.0.0`, `model:${modelId}@1.0.0`).getAttribute('data-relation')).toBe('fine-tuned-from');
    expect(await graph.locator('g.edge').count()).toBe(4);
    // Drawn, not just present: the boxes have a size on screen and the descendant lies right of the ancestor.
    const [ancestorBox, descendantBox] = await Promise.all([node(`model:${parentId}@1.0.0`).boundingBox(), node(`model:${childId}@1.0.0`).boundingBox()]);
    expect(ancestorBox?.width ?? 0).toBeGreaterThan(20);
    expect((descendantBox?.x ?? 0) > (ancestorBox?.x ?? 0)).toBe(true);
    await page.getByTestId('drift-policy').getByText('defaults (no policy set)').waitFor();
    await page.locator('[data-testid="status-history"] tbody tr', { hasText: 'registered' }).waitFor();

    // Approve: the reason is required (the API says so beside the field), then the status changes.
    const approve = page.getByRole('button', { name: 'Approve' });
    expect(await approve.isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Deploy' }).isDisabled()).toBe(true);
    await approve.click();
    await page.locator('.field-error').first().waitFor();
    expect(await page.getByLabel('Reason for the change').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Reason for the change').fill('validation report signed off');
    await approve.click();
    await page.locator('[data-testid="status-history"] tbody tr', { hasText: 'validation report signed off' }).waitFor();
    await page.getByRole('button', { name: 'Deploy' }).and(page.locator(':enabled')).waitFor();
    expect((await gw.call('regulator', 'GET', `/models/${seg(modelId)}/versions/1.0.0`)).body.status).toBe('approved');
    await shot(page, 'model');
  });

  it('acknowledges an alert with a note, sees its state change, and receives a new alert live', async () => {
    const page = await newPage();
    await signIn(page, 'opOfficer', `#/drift?modelId=${seg(modelId)}`);
    await page.locator('.live-status[data-state="live"]').waitFor();
    const chart = page.locator('svg.timeline-chart[data-metric="psi"]');
    await chart.waitFor();
    expect(await chart.locator('circle.point').count()).toBe(2);
    expect(await chart.locator('g.threshold[data-kind="warning"]').getAttribute('data-value')).toBe('0.1');
    expect(await chart.locator('g.threshold[data-kind="critical"]').getAttribute('data-value')).toBe('0.25');
    expect(await page.getByTestId(`state-${alertIds.warning}`).textContent()).toBe('open');

    const note = `looking into income drift ${tag}`;
    await page.getByLabel(`Note for ${alertIds.warning}`).fill(note);
    await page.getByRole('button', { name: `Acknowledge ${alertIds.warning}` }).click();
    await page.getByTestId(`state-${alertIds.warning}`).getByText('acknowledged').waitFor();
    expect(await chart.locator(`circle[data-alert-id="${alertIds.warning}"]`).getAttribute('data-state')).toBe('acknowledged');
    const stored = await gw.call('regulator', 'GET', `/drift-alerts/${seg(alertIds.warning)}`);
    expect(stored.body.state).toBe('acknowledged');
    expect(stored.body.transitions.at(-1)).toMatchObject({ state: 'acknowledged', note });

    // Filter by state: only the open one is listed.
    await page.getByLabel('State').selectOption('open');
    await page.getByRole('button', { name: 'Show alerts' }).click();
    await page.locator('[data-testid="alert-list"] tbody tr').first().waitFor();
    await page.waitForFunction(`document.querySelectorAll('[data-testid="alert-list"] tbody tr').length === 1`);
    expect(await page.getByTestId(`state-${alertIds.critical}`).textContent()).toBe('open');

    // Live: an alert raised elsewhere appears without reloading the page (the marker survives).
    await page.evaluate('window.__sameDocument = true');
    await gw.call('opRecorder', 'POST', '/drift-alerts', driftAlert(alertIds.live, 0.2, '2025-03-21T00:00:00Z'));
    await page.getByTestId(`state-${alertIds.live}`).waitFor();
    await page.getByTestId('live-note').getByText(`DriftAlertRaised ${alertIds.live}`).waitFor();
    expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
    expect(await page.locator('svg.timeline-chart[data-metric="psi"] circle.point').count()).toBe(3);
    await shot(page, 'drift');
  });

  it('starts an export for the current filter, watches it finish and downloads the bundle', async () => {
    const page = await newPage();
    await signIn(page, 'opOfficer', `#/decisions?modelId=${seg(modelId)}`);
    await page.locator('.count', { hasText: '3 decisions on page 1' }).waitFor();
    await page.getByRole('button', { name: 'Export decisions matching this filter' }).click();
    await page.waitForURL(/#\/exports\/exp-/);
    const exportId = decodeURIComponent(page.url().split('#/exports/')[1] ?? '');
    await page.locator('[data-testid="export-state"][data-state="done"]').waitFor({ timeout: 120_000 });
    const status = await gw.call('opOfficer', 'GET', `/exports/${seg(exportId)}`);
    expect(status.body).toMatchObject({ state: 'done', filter: { modelId }, counts: { records: 3 } });
    await page.locator('#progress').getByText(status.body.bundleSha256 as string).waitFor();
    await shot(page, 'export');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download bundle (.tar.gz)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.tar\.gz$/);
    const file = join(work, download.suggestedFilename());
    await download.saveAs(file);
    expect(statSync(file).size).toBe(status.body.bytes);
    const bytes = readFileSync(file);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(status.body.bundleSha256);
    const tar = gunzipSync(bytes);
    expect(tar.includes(Buffer.from('records.ndjson'))).toBe(true);
    for (const id of decisionIds) expect(tar.includes(Buffer.from(id))).toBe(true);

    await page.getByRole('link', { name: 'Exports', exact: true }).click();
    await page.getByRole('link', { name: exportId }).waitFor();
  });

  it('hides or disables what the role may not do, and the API still refuses it', async () => {
    const regulator = await newPage();
    await signIn(regulator, 'regulator', `#/decisions/${seg(decisionIds[0] ?? '')}`);
    await regulator.getByRole('heading', { level: 1, name: `Decision ${decisionIds[0]}` }).waitFor();
    await regulator.getByText('Only the officer role may record reviews of decisions; you are signed in as regulator.').waitFor();
    expect(await regulator.getByRole('button', { name: 'Record review' }).count()).toBe(0);
    const denied = await gw.call('regulator', 'POST', `/decisions/${seg(decisionIds[0] ?? '')}/oversight`, { oversightId: `deny-${tag}`, reviewerRef: 'auditor-1', action: 'confirmed' });
    expect(denied.status).toBe(403);

    await regulator.getByRole('link', { name: `${modelId} 1.0.0` }).click();
    await regulator.locator('svg.lineage-graph').waitFor();
    for (const name of ['Approve', 'Deploy', 'Suspend', 'Retire']) expect(await regulator.getByRole('button', { name }).isDisabled(), name).toBe(true);
    await regulator.getByText('Only the officer role may change the status of model versions').waitFor();
    await regulator.getByText('Only the admin role may set drift policies; you are signed in as regulator.').waitFor();
    expect(await regulator.getByRole('button', { name: 'Set drift policy' }).count()).toBe(0);
    expect((await gw.call('regulator', 'POST', `/models/${seg(modelId)}/versions/1.0.0/status`, { status: 'suspended', reason: 'not mine to do' })).status).toBe(403);

    await regulator.getByRole('link', { name: 'Drift alerts of this version' }).click();
    await regulator.locator('[data-testid="alert-list"] tbody tr').first().waitFor();
    expect(await regulator.locator('[data-testid="alert-list"] button').count()).toBe(0);
    await regulator.getByText('Only the officer role may acknowledge or resolve drift alerts').waitFor();
    expect((await gw.call('regulator', 'POST', `/drift-alerts/${seg(alertIds.critical)}/transitions`, { to: 'acknowledged' })).status).toBe(403);

    // Only an admin gets the drift policy form; the API's error on an inconsistent pair shows beside the thresholds.
    const admin = await newPage();
    await signIn(admin, 'opAdmin', `#/models/${seg(childId)}/1.0.0`);
    await admin.getByTestId('drift-policy').getByText('defaults (no policy set)').waitFor();
    expect(await admin.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
    await admin.getByLabel('Metric').selectOption('psi');
    await admin.getByLabel('Warning threshold').fill('0.3');
    await admin.getByLabel('Critical threshold').fill('0.1');
    await admin.getByRole('button', { name: 'Set drift policy' }).click();
    await admin.locator('.field-error', { hasText: 'psi: psi is a distance (higher is worse): critical must be above warning' }).waitFor();
    expect(await admin.getByLabel('Warning threshold').getAttribute('aria-invalid')).toBe('true');
    expect((await gw.call('opAdmin', 'GET', `/models/${seg(childId)}/versions/1.0.0/drift-policy`)).body.source).toBe('default');
    await admin.getByLabel('Critical threshold').fill('0.45');
    await admin.getByLabel('On a critical alert').selectOption('suspend');
    await admin.getByRole('button', { name: 'Set drift policy' }).click();
    await admin.getByTestId('drift-policy').getByText('suspend the model version').waitFor();
    expect((await gw.call('regulator', 'GET', `/models/${seg(childId)}/versions/1.0.0/drift-policy`)).body).toMatchObject({ source: 'ledger', onCritical: 'suspend', thresholds: { psi: { warning: 0.3, critical: 0.45 } } });
    expect((await gw.call('opOfficer', 'PUT', `/models/${seg(childId)}/versions/1.0.0/drift-policy`, { thresholds: {}, onCritical: 'flag' })).status).toBe(403);

    const recorder = await newPage();
    await signIn(recorder, 'opRecorder', `#/decisions?modelId=${seg(modelId)}`);
    await recorder.locator('.count', { hasText: '3 decisions' }).waitFor();
    expect(await recorder.getByRole('button', { name: 'Export decisions matching this filter' }).count()).toBe(0);
    await recorder.getByText('Only the officer or regulator role may start evidence exports; you are signed in as recorder.').waitFor();
    expect((await gw.call('opRecorder', 'POST', '/exports', { modelId })).status).toBe(403);
  });

  it('fits a 390 px wide screen on every main page without horizontal scrolling', async () => {
    const page = await newPage(390, 844);
    const overflow = async (): Promise<number> => Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    await page.goto(`${gw.baseUrl}/`);
    await page.getByLabel('API key or JWT').waitFor();
    expect(await overflow(), 'sign-in').toBeLessThanOrEqual(0);
    await shot(page, 'narrow-sign-in');
    await signIn(page, 'opOfficer', `#/decisions?modelId=${seg(modelId)}`);

    const pages: [string, string, string][] = [
      ['decisions', `#/decisions?modelId=${seg(modelId)}`, '[data-testid="decision-results"] tbody tr'],
      ['decision', `#/decisions/${seg(decisionIds[1] ?? '')}`, '[data-testid="oversight-trail"] tbody tr'],
      ['model', `#/models/${seg(modelId)}/1.0.0`, 'svg.lineage-graph'],
      ['drift', `#/drift?modelId=${seg(modelId)}`, 'svg.timeline-chart'],
      ['exports', '#/exports', 'main h1'],
    ];
    for (const [name, hash, ready] of pages) {
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      await page.locator(ready).first().waitFor();
      expect(await overflow(), name).toBeLessThanOrEqual(0);
      expect(await page.locator('nav[aria-label="Main"]').isVisible(), name).toBe(true);
      await shot(page, `narrow-${name}`);
    }
  });
});
