import { describe, expect, it } from 'vitest';
import { SseParser } from './sse';

const frame = 'id: 12:0\nevent: DriftAlertRaised\ndata: {"alertId":"a1"}\n\n';

describe('SseParser', () => {
  it('parses a frame of the gateway stream with its id and event name', () => {
    const parser = new SseParser();
    expect(parser.push(`retry: 2000\n\n: keep-alive\n\n${frame}`)).toEqual([{ id: '12:0', event: 'DriftAlertRaised', data: '{"alertId":"a1"}' }]);
    expect(parser.retryMs).toBe(2000);
    expect(parser.lastEventId).toBe('12:0');
  });

  it('gives the same messages however the stream is cut into chunks', () => {
    const stream = `${frame}id: 13:2\nevent: DriftAlertChanged\ndata: line one\ndata: line two\n\n`;
    const whole = new SseParser().push(stream);
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const messages = [];
      for (let at = 0; at < stream.length; at += size) messages.push(...parser.push(stream.slice(at, at + size)));
      expect(messages, `chunks of ${size}`).toEqual(whole);
    }
    expect(whole[1]).toEqual({ id: '13:2', event: 'DriftAlertChanged', data: 'line one\nline two' });
  });

  it('accepts CRLF and CR line ends, also split between chunks', () => {
    const parser = new SseParser();
    const messages = [...parser.push('data: a\r'), ...parser.push('\n\r'), ...parser.push('\ndata: b\r\r')];
    expect(messages.map((m) => m.data)).toEqual(['a', 'b']);
  });

  it('ignores comments, unknown fields and frames without data, and defaults the event name', () => {
    const parser = new SseParser();
    expect(parser.push(': hello\nfoo: bar\nevent: Nothing\n\ndata\n\n')).toEqual([{ id: undefined, event: 'message', data: '' }]);
  });

  it('keeps the last id across frames and ignores an id with NUL and a bad retry', () => {
    const parser = new SseParser();
    parser.push('id: 5:1\ndata: x\n\nid: bad\0id\nretry: soon\ndata: y\n\n');
    expect(parser.lastEventId).toBe('5:1');
    expect(parser.retryMs).toBeUndefined();
  });
});
