// POST /exports, GET /exports/{id}, GET /exports/{id}/bundle: evidence bundles for officers (own org) and regulators (all orgs).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { Identifier, SubjectRef, Timestamp } from '@aiaudit/chaincode/domain';
import type { ExportFilter } from '@aiaudit/verifier';
import { API_BASE } from '../http/app.js';
import type { ApiRegistry, RouteResponse } from '../http/openapi.js';
import type { Principal, Role } from '../http/principal.js';
import { ProblemError } from '../http/problem.js';
import { validateBody, validateParams } from '../http/validate.js';
import type { ExportJob } from './export-store.js';
import { archiveNameOf, type ExportService } from './export-service.js';

export interface ExportRouteDeps {
  exports: ExportService;
}

const EXPORTERS: readonly [Role, ...Role[]] = ['officer', 'regulator'];

/** RFC 3339 in the ledger's own form (milliseconds, Z), so that time bounds compare like recordedAt does. */
const LedgerTime = Timestamp.transform((t) => new Date(t).toISOString());

export const ExportRequest = z
  .strictObject({
    modelId: Identifier.optional(),
    modelVersion: Identifier.optional().describe('Needs modelId'),
    from: LedgerTime.optional().describe('Earliest ledger time (recordedAt), inclusive'),
    to: LedgerTime.optional().describe('Latest ledger time (recordedAt), inclusive'),
    subjectRef: SubjectRef.optional(),
    alertId: Identifier.optional().describe('Decisions recorded while this drift alert was open'),
  })
  .refine((f) => f.modelVersion === undefined || f.modelId !== undefined, { error: 'needs modelId', path: ['modelVersion'] })
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, { error: 'must not be before from', path: ['to'] })
  .meta({ id: 'ExportRequest', description: 'Which decisions to export; every member optional, all given ones must match' });

const ExportParams = z.strictObject({ exportId: z.string().regex(/^exp-[0-9a-f-]{36}$/, { error: 'is not an export id' }) });

const Links = { statusUrl: z.string().describe('GET it for progress'), bundleUrl: z.string().optional().describe('GET it for the .tar.gz once done') };

export const ExportAccepted = z.object({ exportId: z.string(), state: z.literal('queued'), ...Links }).meta({ id: 'ExportAccepted' });

export const ExportStatus = z
  .object({
    exportId: z.string(),
    state: z.enum(['queued', 'running', 'done', 'failed', 'expired']).describe('expired: the bundle was deleted after the retention period (AIAUDIT_EXPORT_RETENTION_DAYS); the digests stay'),
    filter: z.record(z.string(), z.string()).describe('The filter as requested'),
    ownerMsp: z.string().optional().describe("Only this org's decisions (an officer's export)"),
    requestedBy: z.object({ org: z.string(), role: z.string() }),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    counts: z.object({ records: z.number().int(), blocks: z.number().int(), configBlocks: z.number().int() }),
    bytes: z.number().int().describe('Bytes written so far, or the size of the finished .tar.gz'),
    bundleSha256: z.string().optional().describe('SHA-256 of the .tar.gz'),
    manifestSha256: z.string().optional().describe('SHA-256 of manifest.json: aiaudit-verify --manifest-sha256 pins the bundle to it'),
    error: z.string().optional(),
    ...Links,
  })
  .meta({ id: 'ExportStatus', description: 'An export job and, once done, the digests of its bundle' });

const statusUrlOf = (id: string): string => `${API_BASE}/exports/${id}`;

function statusOf(job: ExportJob): z.infer<typeof ExportStatus> {
  return {
    exportId: job.id,
    state: job.state,
    filter: Object.fromEntries(Object.entries(job.filter).filter((e): e is [string, string] => typeof e[1] === 'string')),
    ...(job.ownerMsp === undefined ? {} : { ownerMsp: job.ownerMsp }),
    requestedBy: { org: job.requester.org, role: job.requester.role },
    createdAt: job.createdAt,
    ...(job.startedAt === undefined ? {} : { startedAt: job.startedAt }),
    ...(job.finishedAt === undefined ? {} : { finishedAt: job.finishedAt }),
    counts: { records: job.records, blocks: job.blocks, configBlocks: job.configBlocks },
    bytes: job.bytes,
    ...(job.bundleSha256 === undefined ? {} : { bundleSha256: job.bundleSha256 }),
    ...(job.manifestSha256 === undefined ? {} : { manifestSha256: job.manifestSha256 }),
    ...(job.error === undefined ? {} : { error: job.error }),
    statusUrl: statusUrlOf(job.id),
    ...(job.state === 'done' ? { bundleUrl: `${statusUrlOf(job.id)}/bundle` } : {}),
  };
}

/** The job when `principal`'s org asked for it; 404 otherwise (another org's exports are not even acknowledged). */
function visibleJob(exports: ExportService, id: string, principal: Principal): ExportJob {
  const job = exports.get(id);
  if (job === undefined || job.requester.org !== principal.org) throw new ProblemError({ status: 404, slug: 'not-found', detail: `No export ${id}.` });
  return job;
}

const problem = (description: string): RouteResponse => ({ description, problem: true });

export function registerExportRoutes(api: ApiRegistry, { exports }: ExportRouteDeps): ApiRegistry {
  const body = validateBody(ExportRequest);
  const params = validateParams(ExportParams);
  api.route(
    {
      method: 'post',
      path: '/exports',
      summary: 'Start an evidence export',
      description:
        "Selects the decisions matching the filter (an officer: its own org's; a regulator: every org's) and builds a bundle of the records, the blocks holding their writes and the channel config blocks, verifiable offline with aiaudit-verify. Answers at once; poll statusUrl.",
      tags: ['exports'],
      roles: EXPORTERS,
      body,
      responses: { 202: { description: 'The export is queued', schema: ExportAccepted } },
    },
    ({ req, res, principal }) => {
      const request = body.valueOf(req);
      const filter: ExportFilter = Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined));
      const ownerMsp = principal.role === 'regulator' ? undefined : principal.org;
      const job = exports.request({ principalId: principal.id, org: principal.org, role: principal.role, fabricUser: principal.fabricUser }, filter, ownerMsp);
      res.status(202).location(statusUrlOf(job.id)).json({ exportId: job.id, state: 'queued', statusUrl: statusUrlOf(job.id) });
    },
  );
  api.route(
    {
      method: 'get',
      path: '/exports/:exportId',
      summary: 'Progress of an export',
      tags: ['exports'],
      roles: EXPORTERS,
      params,
      responses: { 200: { description: 'The export job', schema: ExportStatus }, 404: problem("No such export of the caller's org") },
    },
    ({ req, res, principal }) => {
      res.json(statusOf(visibleJob(exports, params.valueOf(req).exportId, principal)));
    },
  );
  api.route(
    {
      method: 'get',
      path: '/exports/:exportId/bundle',
      summary: 'Download a finished export (.tar.gz)',
      description: 'A gzip-compressed tar of one folder: records.ndjson, manifest.json, manifest.sha256, blocks/, config/, README.txt.',
      tags: ['exports'],
      roles: EXPORTERS,
      params,
      responses: {
        200: { description: 'The bundle', contentType: 'application/gzip', schema: z.string().describe('binary') },
        404: problem("No such export of the caller's org"),
        409: problem('The export is not done (still running, or failed)'),
        410: problem('The bundle was deleted after the retention period; start a new export'),
      },
    },
    async ({ req, res, principal }) => {
      const job = visibleJob(exports, params.valueOf(req).exportId, principal);
      if (job.state === 'expired') {
        throw new ProblemError({ status: 410, slug: 'gone', detail: `The bundle of export ${job.id} was deleted after the retention period; start a new export (its digests are still in ${statusUrlOf(job.id)}).` });
      }
      if (job.state !== 'done') {
        const detail = job.state === 'failed' ? `Export ${job.id} failed: ${job.error ?? 'unknown error'}.` : `Export ${job.id} is ${job.state}; poll ${statusUrlOf(job.id)}.`;
        throw new ProblemError({ status: 409, slug: 'conflict', detail, headers: job.state === 'failed' ? {} : { 'Retry-After': '2' } });
      }
      const path = exports.archivePath(job.id);
      const { size } = await stat(path);
      res.status(200).set({
        'Content-Type': 'application/gzip',
        'Content-Length': String(size),
        'Content-Disposition': `attachment; filename="${archiveNameOf(job.id)}"`,
        ...(job.bundleSha256 === undefined ? {} : { 'Repr-Digest': `sha-256=:${Buffer.from(job.bundleSha256, 'hex').toString('base64')}:` }),
      });
      try {
        await pipeline(createReadStream(path), res);
      } catch (err) {
        // A client that goes away mid-download is not an error of ours; the connection is already done for.
        if (!res.headersSent) throw err;
        res.destroy();
      }
    },
  );
  return api;
}
