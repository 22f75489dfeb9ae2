import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute, queryString, type Route } from './router';

describe('parseRoute', () => {
  it.each<[string, Route]>([
    ['', { page: 'decisions', query: {} }],
    ['#/', { page: 'decisions', query: {} }],
    ['#/decisions?modelId=m1&from=&pageSize=25', { page: 'decisions', query: { modelId: 'm1', pageSize: '25' } }],
    ['#/decisions/dec%3A1', { page: 'decision', decisionId: 'dec:1' }],
    ['#/models', { page: 'models', query: {} }],
    ['#/models/credit-scorer/1.0.0', { page: 'model', modelId: 'credit-scorer', version: '1.0.0' }],
    ['#/drift?modelId=m&state=open', { page: 'drift', query: { modelId: 'm', state: 'open' } }],
    ['#/exports', { page: 'exports' }],
    ['#/exports/exp-1', { page: 'export', exportId: 'exp-1' }],
    ['#/models/only-id/v/extra', { page: 'not-found', path: 'models/only-id/v/extra' }],
    ['#/decisions/%E0%A4%A', { page: 'not-found', path: 'decisions/%E0%A4%A' }],
    ['#/elsewhere', { page: 'not-found', path: 'elsewhere' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('builds hashes that parse back to the same route', () => {
    const routes: Route[] = [
      { page: 'decisions', query: { modelId: 'a b', subjectRef: 'f'.repeat(64) } },
      { page: 'decision', decisionId: 'd/1?x' },
      { page: 'model', modelId: 'm:1', version: '1.0.0' },
      { page: 'drift', query: { modelId: 'm', state: 'false-positive' } },
      { page: 'export', exportId: 'exp-0f' },
    ];
    for (const route of routes) expect(parseRoute(hrefOf(route))).toEqual(route);
  });

  it('leaves empty values out of query strings', () => {
    expect(queryString({ a: '1', b: '', c: undefined, d: '  ' })).toBe('?a=1');
    expect(queryString({})).toBe('');
  });
});
