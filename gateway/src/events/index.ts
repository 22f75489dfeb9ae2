// Server-sent events of ledger changes (drift alerts, alert transitions, model status), resumable by Last-Event-ID.
export { eventsRouter, DEFAULT_TYPES, STREAMABLE, type BlockNotifier, type EventsRouter, type EventsRouterOptions } from './sse.js';
