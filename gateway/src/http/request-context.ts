// Per-request values shared by middleware and handlers: the request id and the authenticated principal.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Principal } from './principal.js';

const requestIds = new WeakMap<IncomingMessage, string>();
const principals = new WeakMap<IncomingMessage, Principal>();

/** A caller-chosen X-Request-Id is honoured only when it is a plain identifier (no log injection). */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the caller's X-Request-Id when acceptable, else a new UUID; stable for the request's life. */
export function requestIdOf(req: IncomingMessage): string {
  let id = requestIds.get(req);
  if (id === undefined) {
    const given = req.headers['x-request-id'];
    id = typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
    requestIds.set(req, id);
  }
  return id;
}

export function setPrincipal(req: IncomingMessage, principal: Principal): void {
  principals.set(req, principal);
}

/** The authenticated caller, or undefined before (or without) authentication. */
export function principalOf(req: IncomingMessage): Principal | undefined {
  return principals.get(req);
}
