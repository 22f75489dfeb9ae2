// The console's only way to the gateway: the public REST API under /api/v1, bearer token from memory, problems as ApiError.
import { problemFrom, problemSummary, type Problem } from './problem';
import { queryString } from './router';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problemSummary(problem));
    this.name = 'ApiError';
  }
  get status(): number {
    return this.problem.status;
  }
}

export interface ApiClientOptions {
  token: () => string | undefined;
  /** Called on a 401 (the key was revoked or the token expired). */
  onUnauthorized?: () => void;
}

type Query = Readonly<Record<string, string | undefined>>;

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get<T>(path: string, query: Query = {}, token?: string): Promise<T> {
    return this.#json<T>('GET', `${path}${queryString(query)}`, undefined, token);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#json<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.#json<T>('PUT', path, body);
  }

  /** A binary download (an export bundle) with the file name the server suggests. */
  async download(path: string): Promise<{ blob: Blob; filename: string }> {
    const res = await this.#fetch('GET', path, undefined, undefined, 'application/gzip, application/problem+json');
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'bundle.tar.gz';
    return { blob: await res.blob(), filename };
  }

  async #json<T>(method: string, path: string, body: unknown, token?: string): Promise<T> {
    const res = await this.#fetch(method, path, body, token, 'application/json, application/problem+json');
    const value: T = await res.json();
    return value;
  }

  async #fetch(method: string, path: string, body: unknown, tokenOverride: string | undefined, accept: string): Promise<Response> {
    const token = tokenOverride ?? this.options.token();
    const headers: Record<string, string> = { Accept: accept };
    if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${API_BASE}${path}`, { method, headers, cache: 'no-store', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch {
      throw new ApiError({ status: 0, title: 'Network error', detail: 'the gateway did not answer; is it running?', errors: [] });
    }
    if (res.ok) return res;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: problemFrom shows the text
    }
    const problem = problemFrom(res.status, res.statusText, parsed);
    if (res.status === 401 && tokenOverride === undefined) this.options.onUnauthorized?.();
    throw new ApiError(problem);
  }
}

export const seg = encodeURIComponent;
