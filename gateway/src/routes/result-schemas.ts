// Schemas of chaincode answers that are not a single domain record, composed from the domain's own schemas.
import { z } from 'zod';
import { DatasetVersion, DriftAlert, HistoryEntry, HistoryKind, IdentityId, LedgerRole, ModelStatus, ModelVersion, MspId, Timestamp } from '../domain.js';
import { Role } from '../http/principal.js';

export const LineageGraph = z
  .object({
    root: z.string().describe('Key of the starting version, e.g. model:credit-scorer@1.0.0'),
    direction: z.enum(['up', 'down']),
    depth: z.number().int(),
    nodes: z.array(
      z.object({
        kind: z.enum(['model', 'dataset']),
        id: z.string(),
        version: z.string(),
        key: z.string().describe('kind:id@version'),
        record: z.union([ModelVersion, DatasetVersion]),
      }),
    ),
    edges: z
      .array(z.object({ from: z.string(), to: z.string(), relation: z.string() }))
      .describe('Each edge points from the derived version to what it derives from'),
    truncated: z.boolean().describe('True when the walk stopped at the node limit before the depth'),
  })
  .meta({ id: 'LineageGraph', description: 'Ancestors (up) or descendants (down) of a version' });

export const RaisedDriftAlert = z
  .object({
    alert: DriftAlert,
    modelStatus: ModelStatus.describe('The model version status after this alert'),
    modelStatusChange: z
      .object({ from: ModelStatus, to: ModelStatus, reason: z.string(), by: IdentityId, at: Timestamp, alertId: z.string() })
      .optional()
      .describe('Present when this alert suspended the model version (critical, onCritical=suspend)'),
  })
  .meta({ id: 'RaisedDriftAlert', description: 'A raised drift alert and its effect on the model version' });

export const DriftAlertPage = z
  .object({
    alerts: z.array(DriftAlert),
    bookmark: z.string().describe('Pass back as bookmark for the next page; empty when there are no more'),
  })
  .meta({ id: 'DriftAlertPage', description: 'A page of drift alerts' });

export const HistoryAnswer = z
  .object({ kind: HistoryKind, id: z.string(), entries: z.array(HistoryEntry).describe('Oldest first') })
  .meta({ id: 'History', description: 'Every committed version of one record' });

export const LedgerIdentity = z.object({
  mspId: MspId,
  id: IdentityId,
  roles: z.array(LedgerRole).describe('What the chaincode enforces: certificate and ledger roles together'),
  sources: z.object({ certificate: z.array(LedgerRole), ledger: z.array(LedgerRole) }),
});

export const WhoAmIAnswer = z
  .object({
    principal: z.object({ id: z.string(), org: z.string(), role: Role, fabricUser: z.string() }).describe('The caller as the gateway authenticated it'),
    ledger: LedgerIdentity.describe('The Fabric identity the gateway signs with for the caller, as the chaincode sees it'),
  })
  .meta({ id: 'WhoAmI', description: 'Who the caller is, to the gateway and to the chaincode' });
