import { describe, expect, it } from 'vitest';
import { fieldBelongsTo, placeErrors, problemFrom, problemSummary } from './problem';

describe('problemFrom', () => {
  it('reads a problem document with its field errors, request id and txId', () => {
    const problem = problemFrom(400, 'Bad Request', {
      type: 'urn:aiaudit:problem:invalid-argument',
      title: 'Invalid argument',
      status: 400,
      detail: 'reason: is required',
      requestId: 'req-1',
      txId: 'abc',
      errors: [{ field: 'reason', message: 'is required', in: 'body' }, { nonsense: true }],
    });
    expect(problem).toEqual({
      status: 400,
      title: 'Invalid argument',
      detail: 'reason: is required',
      type: 'urn:aiaudit:problem:invalid-argument',
      requestId: 'req-1',
      txId: 'abc',
      errors: [{ field: 'reason', message: 'is required', in: 'body' }],
    });
  });

  it('makes a readable problem of a body that is not one', () => {
    expect(problemFrom(502, 'Bad Gateway', '<html>proxy down</html>')).toEqual({ status: 502, title: 'Bad Gateway', detail: '<html>proxy down</html>', errors: [] });
    expect(problemFrom(500, '', null)).toEqual({ status: 500, title: 'HTTP 500', errors: [] });
  });
});

describe('placeErrors', () => {
  const problem = (errors: { field: string; message: string }[], detail = 'x') => problemFrom(400, '', { title: 'Invalid argument', detail, errors });

  it('puts each field error beside its form field, nested ones with their inner path', () => {
    const placed = placeErrors(problem([{ field: 'reason', message: 'is required' }, { field: 'thresholds.psi', message: 'critical must be above warning' }]), ['reason', 'thresholds']);
    expect(Object.fromEntries(placed.byField)).toEqual({ reason: 'is required', thresholds: 'psi: critical must be above warning' });
    expect(placed.rest).toEqual([]);
  });

  it('joins several errors of one field', () => {
    const placed = placeErrors(problem([{ field: 'to', message: 'a' }, { field: 'to', message: 'b' }]), ['to']);
    expect(placed.byField.get('to')).toBe('a; b');
  });

  it('keeps what no field shows, with the summary, for the form as a whole', () => {
    const placed = placeErrors(problem([{ field: 'bookmark', message: 'is not a bookmark from this API' }], 'bookmark: bad'), ['modelId']);
    expect(placed.byField.size).toBe(0);
    expect(placed.rest).toEqual(['Invalid argument: bookmark: bad', 'bookmark: is not a bookmark from this API']);
  });

  it('shows a problem without field errors (403, 422) whole', () => {
    const forbidden = problemFrom(403, 'Forbidden', { title: 'Forbidden', detail: 'role regulator may not do this' });
    expect(placeErrors(forbidden, ['reason'])).toEqual({ byField: new Map(), rest: ['Forbidden: role regulator may not do this'] });
    expect(problemSummary(forbidden)).toBe('Forbidden: role regulator may not do this');
  });

  it('matches a field only on a path boundary', () => {
    expect(fieldBelongsTo('modelVersion', 'model')).toBe(false);
    expect(fieldBelongsTo('items[2].sha256', 'items')).toBe(true);
  });
});
