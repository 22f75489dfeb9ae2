// GET /events: server-sent events from the indexed chaincode events, ids `block:txIndex`, resumable with Last-Event-ID.
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { requirePrincipal, requireRole } from '../http/auth.js';
import type { Principal } from '../http/principal.js';
import { ProblemError } from '../http/problem.js';
import { parseEventId, type EventCursor, type IndexedEvent, type IndexStore } from '../index/store.js';

/** Events streamed by default; `?types=` may name any of STREAMABLE. */
export const DEFAULT_TYPES = ['DriftAlertRaised', 'DriftAlertChanged', 'ModelStatusChanged'] as const;
export const STREAMABLE = [...DEFAULT_TYPES, 'DecisionsRecorded', 'ModelVersionRegistered', 'DriftPolicySet'] as const;

/** Tells subscribers that new blocks are indexed. */
export interface BlockNotifier {
  subscribe(listener: () => void): () => void;
  /** The last indexed block: a stream without Last-Event-ID starts after it. */
  lastBlock(): number | undefined;
}

export interface EventsRouterOptions {
  index: IndexStore;
  notifier: BlockNotifier;
  logger: Pick<Logger, 'warn' | 'debug'>;
  heartbeatMs?: number;
  /** Events read from the store per query while catching up. */
  pageSize?: number;
}

export interface EventsRouter extends Router {
  /** Ends every open stream (at shutdown: clients reconnect elsewhere or later with Last-Event-ID). */
  closeAll(): void;
}

/** An Express router serving GET /events; mount it under /api/v1 behind authentication. */
export function eventsRouter(options: EventsRouterOptions): EventsRouter {
  const router = Router();
  const open = new Set<Response>();
  router.get('/events', requireRole('recorder', 'officer', 'regulator', 'admin'), (req, res) => {
    const principal = requirePrincipal(req);
    const types = typesOf(req);
    const cursor = startCursor(req, options.notifier);
    open.add(res);
    res.on('close', () => open.delete(res));
    new EventStream(res, principal, types, cursor, options).open();
  });
  return Object.assign(router, {
    closeAll() {
      for (const res of open) res.end();
      open.clear();
    },
  });
}

function typesOf(req: Request): ReadonlySet<string> {
  const given = req.query['types'];
  if (given === undefined) return new Set(DEFAULT_TYPES);
  const names = (typeof given === 'string' ? given : '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  const unknown = names.filter((n) => !STREAMABLE.some((s) => s === n));
  if (names.length === 0 || unknown.length > 0) {
    const message = `must be a comma-separated list of ${STREAMABLE.join(', ')}`;
    throw new ProblemError({ status: 400, slug: 'invalid-argument', detail: `types: ${message}`, errors: [{ field: 'types', message, in: 'query' }] });
  }
  return new Set(names);
}

/** Resume after Last-Event-ID (header, or ?lastEventId= for clients that cannot set headers); otherwise start at the live edge. */
function startCursor(req: Request, notifier: BlockNotifier): EventCursor {
  const header = req.get('last-event-id');
  const query = req.query['lastEventId'];
  const given = header ?? (typeof query === 'string' ? query : undefined);
  if (given !== undefined && given.trim() !== '') {
    const cursor = parseEventId(given);
    if (cursor === undefined) {
      const message = 'must be an event id of this stream (block:txIndex)';
      throw new ProblemError({ status: 400, slug: 'invalid-argument', detail: `Last-Event-ID: ${message}`, errors: [{ field: 'Last-Event-ID', message, in: 'header' }] });
    }
    return cursor;
  }
  const last = notifier.lastBlock();
  return { blockNumber: last ?? -1, txIndex: Number.MAX_SAFE_INTEGER };
}

class EventStream {
  #cursor: EventCursor;
  #draining = false;
  #again = false;
  #closed = false;

  constructor(
    private readonly res: Response,
    private readonly principal: Principal,
    private readonly types: ReadonlySet<string>,
    cursor: EventCursor,
    private readonly options: EventsRouterOptions,
  ) {
    this.#cursor = cursor;
  }

  open(): void {
    const { res, options } = this;
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    const unsubscribe = options.notifier.subscribe(() => void this.#drain());
    const heartbeat = setInterval(() => {
      if (!res.writableEnded) res.write(': keep-alive\n\n');
    }, options.heartbeatMs ?? 15_000);
    // The response closes when the client goes away or closeAll() ends it.
    res.on('close', () => {
      this.#closed = true;
      unsubscribe();
      clearInterval(heartbeat);
    });
    void this.#drain();
  }

  /** Sends every stored event after the cursor; a notification during a drain runs one more. */
  async #drain(): Promise<void> {
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = true;
    try {
      do {
        this.#again = false;
        for (;;) {
          const page = await this.options.index.eventsAfter(this.#cursor, this.options.pageSize ?? 500);
          for (const event of page) {
            if (this.#closed || this.res.writableEnded) return;
            this.#cursor = { blockNumber: event.blockNumber, txIndex: event.txIndex };
            if (this.types.has(event.name) && this.#visible(event)) this.res.write(frame(event));
          }
          if (page.length < (this.options.pageSize ?? 500)) break;
        }
      } while (this.#again && !this.#closed);
    } catch (err) {
      this.options.logger.warn({ err }, 'event stream failed; closing it (the client resumes with Last-Event-ID)');
      this.res.end();
    } finally {
      this.#draining = false;
    }
  }

  #visible(event: IndexedEvent): boolean {
    return this.principal.role === 'regulator' || (event.ownerMsp !== undefined && event.ownerMsp === this.principal.org);
  }
}

/** One SSE frame; DecisionsRecorded is summarised (counts, not ids). */
function frame(event: IndexedEvent): string {
  const data = { event: event.name, txId: event.txId, blockNumber: String(event.blockNumber), txIndex: event.txIndex, at: event.at, payload: payloadOf(event) };
  return `id: ${event.id}\nevent: ${event.name}\ndata: ${JSON.stringify(data)}\n\n`;
}

function payloadOf(event: IndexedEvent): unknown {
  if (event.name !== 'DecisionsRecorded' || typeof event.payload !== 'object' || event.payload === null) return event.payload;
  const { decisionIds, ...summary } = Object.fromEntries(Object.entries(event.payload));
  return { ...summary, count: Array.isArray(decisionIds) ? decisionIds.length : 0 };
}
