// What each role may do through the console; mirrors the gateway's route roles (the API still decides and refuses).
import { STATUS_TRANSITIONS } from '../../chaincode/src/domain/model-status.js';
import type { ModelStatus } from '../../chaincode/src/domain/model.js';

export type Role = 'recorder' | 'officer' | 'regulator' | 'admin';
export const ROLES: readonly Role[] = ['recorder', 'officer', 'regulator', 'admin'];

export type Action = 'review-decision' | 'change-model-status' | 'transition-alert' | 'export' | 'set-drift-policy';

/** The roles the gateway's routes accept for each write (README role table). */
const ALLOWED: Readonly<Record<Action, readonly Role[]>> = {
  'review-decision': ['officer'],
  'change-model-status': ['officer'],
  'transition-alert': ['officer'],
  export: ['officer', 'regulator'],
  'set-drift-policy': ['admin'],
};

const WHAT: Readonly<Record<Action, string>> = {
  'review-decision': 'record reviews of decisions',
  'change-model-status': 'change the status of model versions',
  'transition-alert': 'acknowledge or resolve drift alerts',
  export: 'start evidence exports',
  'set-drift-policy': 'set drift policies',
};

export const can = (role: Role, action: Action): boolean => ALLOWED[action].includes(role);

/** Why the action is not offered, for the note shown in its place. */
export function whyNot(role: Role, action: Action): string {
  const roles = ALLOWED[action];
  const who = roles.length === 1 ? `the ${roles[0]} role` : `the ${roles.slice(0, -1).join(', ')} or ${roles.at(-1)} role`;
  return `Only ${who} may ${WHAT[action]}; you are signed in as ${role}.`;
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && ROLES.some((r) => r === value);

/** The status changes the lifecycle allows from `status` (the chaincode's own table). */
export const nextStatuses = (status: ModelStatus): readonly ModelStatus[] => STATUS_TRANSITIONS[status];

export type AlertState = 'open' | 'acknowledged' | 'resolved' | 'false-positive';
export type AlertTarget = 'acknowledged' | 'resolved' | 'false-positive';

/** open → acknowledged → resolved | false-positive; resolved and false-positive are final. */
export function alertTargets(state: AlertState): readonly AlertTarget[] {
  if (state === 'open') return ['acknowledged', 'resolved', 'false-positive'];
  if (state === 'acknowledged') return ['resolved', 'false-positive'];
  return [];
}
