// Small pieces every page uses: headings, links, badges, notes and the panel for a failed load.
import { ApiError } from './api';
import { h, type Child } from './dom';
import { identityLabel } from './format';
import { problemSummary } from './problem';
import { hrefOf, type Route } from './router';

export const link = (route: Route, ...children: Child[]): HTMLAnchorElement => h('a', { href: hrefOf(route) }, ...children);

export function pageHeading(title: string, ...after: Child[]): HTMLElement {
  document.title = `${title} · aiaudit console`;
  return h('div', { class: 'page-heading' }, h('h1', {}, title), ...after);
}

export const badge = (text: string, kind = text): HTMLElement => h('span', { class: `badge badge-${kind.replace(/[^a-z0-9-]/gi, '')}` }, text);

export const note = (text: string, kind: 'info' | 'forbidden' = 'info'): HTMLElement => h('p', { class: `note note-${kind}` }, text);

export const code = (text: string, title?: string): HTMLElement => h('code', { title }, text);

/** The failure of a load, in words: the API's problem when it gave one. */
export function errorPanel(err: unknown, what: string): HTMLElement {
  const text = err instanceof ApiError ? problemSummary(err.problem) : err instanceof Error ? err.message : String(err);
  const requestId = err instanceof ApiError ? err.problem.requestId : undefined;
  return h('div', { class: 'form-error', role: 'alert' }, h('p', {}, `Could not load ${what}. ${text}`), requestId === undefined ? null : h('p', { class: 'hint' }, `Request id ${requestId}`));
}

export const loading = (what: string): HTMLElement => h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);

export function section(title: string, id: string, ...children: (Child | readonly Child[])[]): HTMLElement {
  const headingId = `${id}-heading`;
  return h('section', { class: 'panel', id, 'aria-labelledby': headingId }, h('h2', { id: headingId }, title), ...children);
}

/** A Fabric identity by its common name, the full id in the tooltip. */
export const identity = (id: string): HTMLElement => h('span', { title: id }, identityLabel(id));
