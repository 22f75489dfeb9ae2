// Chaincode events: exactly one per state-changing transaction; names and payload schemas the gateway decodes.
import { z } from 'zod';
import { ModelVersionCount } from './decision.js';
import { Severity, DriftMetric } from './drift.js';
import { IdentityId, MspId } from './identity.js';
import { ModelStatus } from './model.js';
import { Identifier, Timestamp } from './primitives.js';
import { PurgeOutcome } from './privacy.js';
import { AlertState } from './queries.js';
import { Role } from './access.js';

export const EventName = {
  DatasetVersionRegistered: 'DatasetVersionRegistered',
  ModelVersionRegistered: 'ModelVersionRegistered',
  ModelStatusChanged: 'ModelStatusChanged',
  DecisionsRecorded: 'DecisionsRecorded',
  OversightRecorded: 'OversightRecorded',
  PrivateInputsStored: 'PrivateInputsStored',
  PurgeRecorded: 'PurgeRecorded',
  DriftPolicySet: 'DriftPolicySet',
  DriftAlertRaised: 'DriftAlertRaised',
  DriftAlertChanged: 'DriftAlertChanged',
  RoleGrantChanged: 'RoleGrantChanged',
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

const VersionEvent = { modelId: Identifier, version: Identifier };

export const DatasetVersionRegisteredEvent = z.strictObject({ datasetId: Identifier, version: Identifier, ownerMsp: MspId });
export const ModelVersionRegisteredEvent = z.strictObject({ ...VersionEvent, ownerMsp: MspId });

export const StatusChangeEvent = z.strictObject({
  from: ModelStatus,
  to: ModelStatus,
  reason: z.string(),
  by: IdentityId,
  at: Timestamp,
  alertId: Identifier.optional(),
});
export const ModelStatusChangedEvent = z.strictObject({ ...VersionEvent, change: StatusChangeEvent });

/** Everything the gateway's block-derived index needs: decision ids in position order. */
export const DecisionsRecordedEvent = z.strictObject({
  batchId: Identifier,
  txId: z.string(),
  recordedAt: Timestamp,
  ownerMsp: MspId,
  decisionIds: z.array(Identifier).describe('Decision ids in position order (position = index)'),
  modelVersions: z.array(ModelVersionCount),
});

export const OversightRecordedEvent = z.strictObject({
  oversightId: Identifier,
  batchId: Identifier,
  decisionId: Identifier,
  action: z.string(),
});
export const PrivateInputsStoredEvent = z.strictObject({ batchId: Identifier, decisionId: Identifier });
export const PurgeRecordedEvent = z.strictObject({ batchId: Identifier, decisionId: Identifier, outcome: PurgeOutcome });
export const DriftPolicySetEvent = z.strictObject({ ...VersionEvent, onCritical: z.enum(['flag', 'suspend']) });

/**
 * A critical alert under onCritical=suspend changes two things in one transaction; Fabric
 * allows one event, so DriftAlertRaised carries the status change in `modelStatusChange`.
 */
export const DriftAlertRaisedEvent = z.strictObject({
  alertId: Identifier,
  ...VersionEvent,
  metric: DriftMetric,
  value: z.number(),
  threshold: z.number(),
  severity: Severity,
  modelStatusChange: StatusChangeEvent.optional(),
});
export const DriftAlertChangedEvent = z.strictObject({
  alertId: Identifier,
  ...VersionEvent,
  from: AlertState,
  to: AlertState,
  by: IdentityId,
  at: Timestamp,
});
export const RoleGrantChangedEvent = z.strictObject({
  mspId: MspId,
  identityId: IdentityId,
  action: z.enum(['granted', 'revoked']),
  role: Role,
});

/** Each event name's payload schema, for decoding chaincode events. */
export const EventPayload = {
  DatasetVersionRegistered: DatasetVersionRegisteredEvent,
  ModelVersionRegistered: ModelVersionRegisteredEvent,
  ModelStatusChanged: ModelStatusChangedEvent,
  DecisionsRecorded: DecisionsRecordedEvent,
  OversightRecorded: OversightRecordedEvent,
  PrivateInputsStored: PrivateInputsStoredEvent,
  PurgeRecorded: PurgeRecordedEvent,
  DriftPolicySet: DriftPolicySetEvent,
  DriftAlertRaised: DriftAlertRaisedEvent,
  DriftAlertChanged: DriftAlertChangedEvent,
  RoleGrantChanged: RoleGrantChangedEvent,
} as const satisfies Record<EventName, z.ZodType>;
