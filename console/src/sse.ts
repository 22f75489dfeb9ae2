// A server-sent events parser (WHATWG event-stream format), fed text chunks as they arrive from a fetch() stream.

export interface SseMessage {
  /** The last event id in force when the message was dispatched (Last-Event-ID for a resume). */
  id: string | undefined;
  event: string;
  data: string;
}

/** Incremental parser: push chunks in order, get the complete messages so far. */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #lastEventId: string | undefined;
  #retryMs: number | undefined;
  /** A chunk ended in \r: a \n at the start of the next one belongs to the same line end. */
  #pendingCr = false;

  /** The id to send as Last-Event-ID when reconnecting. */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** The reconnection delay the server asked for with `retry:`. */
  get retryMs(): number | undefined {
    return this.#retryMs;
  }

  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = false;
    this.#buffer += text;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = this.#buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      const line = this.#buffer.slice(0, end);
      const breakLength = this.#buffer.startsWith('\r\n', end) ? 2 : 1;
      if (breakLength === 1 && this.#buffer[end] === '\r' && end === this.#buffer.length - 1) this.#pendingCr = true;
      this.#buffer = this.#buffer.slice(end + breakLength);
      const message = this.#line(line);
      if (message !== undefined) messages.push(message);
    }
    return messages;
  }

  #line(line: string): SseMessage | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retryMs = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  #dispatch(): SseMessage | undefined {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = '';
    if (data.length === 0) return undefined;
    return { id: this.#lastEventId, event: event === '' ? 'message' : event, data: data.join('\n') };
  }
}
