// The live event feed: GET /api/v1/events read with fetch() (EventSource cannot send Authorization), reconnecting with Last-Event-ID.
import { SseParser, type SseMessage } from './sse';

export type FeedState = 'connecting' | 'live' | 'offline' | 'stopped';

export interface LiveEvent {
  id: string | undefined;
  name: string;
  /** The event's payload (`data.payload` of the gateway frame). */
  payload: Record<string, unknown>;
  txId: string | undefined;
  blockNumber: string | undefined;
}

export interface EventFeedOptions {
  url: string;
  token: () => string | undefined;
  onEvent: (event: LiveEvent) => void;
  onState: (state: FeedState, detail?: string) => void;
  /** Reconnect delay until the server sends its own `retry:`. */
  retryMs?: number;
}

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value)) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function liveEventOf(message: SseMessage): LiveEvent | undefined {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return undefined;
  }
  const frame = record(data);
  return { id: message.id, name: str(frame['event']) ?? message.event, payload: record(frame['payload']), txId: str(frame['txId']), blockNumber: str(frame['blockNumber']) };
}

export class EventFeed {
  readonly #options: EventFeedOptions;
  #parser = new SseParser();
  #controller: AbortController | undefined;
  /** Each start() begins a new run; a run that is no longer the current one ends at its next step. */
  #runs = 0;
  #stopped = true;

  constructor(options: EventFeedOptions) {
    this.#options = options;
  }

  /** Starts reading at the live edge (a new sign-in does not resume the previous caller's stream). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#parser = new SseParser();
    void this.#run(++this.#runs);
  }

  stop(): void {
    this.#stopped = true;
    this.#runs++;
    this.#controller?.abort();
    this.#options.onState('stopped');
  }

  async #run(run: number): Promise<void> {
    const current = (): boolean => run === this.#runs && !this.#stopped;
    while (current()) {
      const token = this.#options.token();
      if (token === undefined) break;
      this.#options.onState('connecting');
      this.#controller = new AbortController();
      try {
        const lastId = this.#parser.lastEventId;
        const res = await fetch(this.#options.url, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', ...(lastId === undefined ? {} : { 'Last-Event-ID': lastId }) },
          signal: this.#controller.signal,
          cache: 'no-store',
        });
        if (res.status === 401 || res.status === 403) {
          this.#options.onState('offline', `the event stream refused the credentials (${res.status})`);
          return;
        }
        if (!res.ok || res.body === null) throw new Error(`the event stream answered ${res.status}`);
        this.#options.onState('live');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (!current()) break;
          for (const message of this.#parser.push(value)) {
            const event = liveEventOf(message);
            if (event !== undefined) this.#options.onEvent(event);
          }
        }
        if (current()) this.#options.onState('offline', 'the event stream ended; reconnecting');
      } catch (err) {
        if (!current()) return;
        this.#options.onState('offline', err instanceof Error ? err.message : 'the event stream failed');
      }
      await new Promise((resolve) => setTimeout(resolve, this.#parser.retryMs ?? this.#options.retryMs ?? 2_000));
    }
  }
}
