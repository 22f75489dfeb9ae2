import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventFeed, liveEventOf, type FeedState, type LiveEvent } from './event-feed';

const frame = (id: string, name: string, payload: object) => `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify({ event: name, txId: `tx-${id}`, blockNumber: id.split(':')[0], txIndex: 0, payload })}\n\n`;

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(bytes.encode(chunk));
      controller.close();
    },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('EventFeed', () => {
  it('sends the bearer token, delivers events, and resumes after a dropped stream with Last-Event-ID', async () => {
    const requests: Headers[] = [];
    const answers = [
      () => new Response(streamOf('retry: 10\n\n', frame('7:0', 'DriftAlertRaised', { alertId: 'a1', modelId: 'm' })), { status: 200 }),
      () => new Response(streamOf(frame('8:1', 'DriftAlertChanged', { alertId: 'a1', modelId: 'm' })), { status: 200 }),
    ];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      requests.push(new Headers(init.headers));
      const answer = answers.shift();
      return answer === undefined ? new Promise<Response>(() => undefined) : answer();
    });
    const events: LiveEvent[] = [];
    const states: FeedState[] = [];
    const feed = new EventFeed({ url: '/api/v1/events', token: () => 'aiaudit_key', onEvent: (e) => events.push(e), onState: (s) => states.push(s) });
    feed.start();
    await vi.waitFor(() => expect(events).toHaveLength(2), { timeout: 2_000 });
    feed.stop();

    expect(events.map((e) => [e.id, e.name, e.payload['alertId'], e.blockNumber])).toEqual([
      ['7:0', 'DriftAlertRaised', 'a1', '7'],
      ['8:1', 'DriftAlertChanged', 'a1', '8'],
    ]);
    expect(requests[0]?.get('authorization')).toBe('Bearer aiaudit_key');
    expect(requests[0]?.get('last-event-id')).toBeNull();
    expect(requests[1]?.get('last-event-id')).toBe('7:0');
    expect(states).toContain('live');
    expect(states.at(-1)).toBe('stopped');
  });

  it('stops retrying when the credentials are refused', async () => {
    const fetch = vi.fn(async () => new Response('{}', { status: 401 }));
    vi.stubGlobal('fetch', fetch);
    const states: [FeedState, string | undefined][] = [];
    const feed = new EventFeed({ url: '/e', token: () => 'k', onEvent: () => undefined, onState: (s, d) => states.push([s, d]), retryMs: 5 });
    feed.start();
    await vi.waitFor(() => expect(states.at(-1)?.[0]).toBe('offline'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(states.at(-1)?.[1]).toContain('401');
  });

  it('reads a gateway frame and skips data that is not JSON', () => {
    expect(liveEventOf({ id: '1:0', event: 'x', data: 'not json' })).toBeUndefined();
    expect(liveEventOf({ id: '1:0', event: 'ModelStatusChanged', data: '{"payload":{"modelId":"m","version":"1"}}' })).toEqual({
      id: '1:0',
      name: 'ModelStatusChanged',
      payload: { modelId: 'm', version: '1' },
      txId: undefined,
      blockNumber: undefined,
    });
  });
});
