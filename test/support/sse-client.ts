// A small server-sent events reader for tests: parses frames (id, event, data) from a fetch stream.
export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

export interface SseReader {
  /** Resolves when the response headers arrived (status 200), rejects otherwise. */
  opened: Promise<void>;
  /** Waits until `count` events beyond those already taken arrived, and takes them. */
  next(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  /** Every event received so far. */
  received(): SseEvent[];
  /** Resolves when the server ended the stream (or it was closed). */
  ended: Promise<void>;
  close(): void;
}

export function readEvents(url: string, headers: Record<string, string>): SseReader {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  let taken = 0;
  let notify: (() => void) | undefined;
  let markEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const opened = (async () => {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    if (res.status !== 200 || res.body === null) throw new Error(`event stream answered ${res.status}: ${await res.text()}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = parseFrame(frame);
            if (event !== undefined) {
              events.push(event);
              notify?.();
            }
          }
        }
      } catch {
        // aborted
      } finally {
        markEnded();
      }
    })();
  })();
  return {
    opened,
    async next(count, timeoutMs = 10_000) {
      await opened;
      const deadline = Date.now() + timeoutMs;
      while (events.length < taken + count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} more events, got ${events.length - taken}`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 50);
        });
      }
      const out = events.slice(taken, taken + count);
      taken += count;
      return out;
    },
    received: () => [...events],
    ended,
    close: () => controller.abort(),
  };
}

function parseFrame(frame: string): SseEvent | undefined {
  let id: string | undefined;
  let event: string | undefined;
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? undefined : { id, event, data: data.join('\n') };
}
