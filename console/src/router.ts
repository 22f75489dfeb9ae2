// Hash routes of the console (#/decisions?…, #/decisions/<id>, #/models/<id>/<version>, #/drift?…, #/exports/<id>): parse and build.

export type Query = Readonly<Record<string, string>>;

export type Route =
  | { page: 'decisions'; query: Query }
  | { page: 'decision'; decisionId: string }
  | { page: 'models'; query: Query }
  | { page: 'model'; modelId: string; version: string }
  | { page: 'drift'; query: Query }
  | { page: 'exports' }
  | { page: 'export'; exportId: string }
  | { page: 'not-found'; path: string };

export const DEFAULT_ROUTE: Route = { page: 'decisions', query: {} };

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** Non-empty query values, in a stable order. */
export function queryOf(search: string): Query {
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(search)) if (value.trim() !== '') query[name] = value;
  return query;
}

export function queryString(query: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value.trim() !== '') params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The route of a location hash; an empty hash is the decisions page. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', search = ''] = raw.split('?', 2);
  const path = pathPart.replace(/^\/+/, '').replace(/\/+$/, '');
  if (path === '') return DEFAULT_ROUTE;
  const parts = path.split('/').map(decode);
  if (parts.some((p) => p === undefined || p === '')) return { page: 'not-found', path };
  const [head, a, b, ...more] = parts.filter((p): p is string => p !== undefined);
  if (more.length > 0) return { page: 'not-found', path };
  switch (head) {
    case 'decisions':
      if (b !== undefined) break;
      return a === undefined ? { page: 'decisions', query: queryOf(search) } : { page: 'decision', decisionId: a };
    case 'models':
      if (a === undefined) return { page: 'models', query: queryOf(search) };
      if (b !== undefined) return { page: 'model', modelId: a, version: b };
      break;
    case 'drift':
      if (a === undefined) return { page: 'drift', query: queryOf(search) };
      break;
    case 'exports':
      if (b !== undefined) break;
      return a === undefined ? { page: 'exports' } : { page: 'export', exportId: a };
    default:
      break;
  }
  return { page: 'not-found', path };
}

const seg = encodeURIComponent;

/** The hash (with #) of a route. */
export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'decisions':
      return `#/decisions${queryString(route.query)}`;
    case 'decision':
      return `#/decisions/${seg(route.decisionId)}`;
    case 'models':
      return `#/models${queryString(route.query)}`;
    case 'model':
      return `#/models/${seg(route.modelId)}/${seg(route.version)}`;
    case 'drift':
      return `#/drift${queryString(route.query)}`;
    case 'exports':
      return '#/exports';
    case 'export':
      return `#/exports/${seg(route.exportId)}`;
    case 'not-found':
      return `#/${route.path}`;
  }
}
