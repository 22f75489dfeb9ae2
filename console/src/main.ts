// The console's shell: sign-in, the top bar, hash routing to the pages, and the live event feed shared by them.
import './styles.css';
import { ApiClient, API_BASE } from './api';
import type { PageContext } from './context';
import { h } from './dom';
import { EventFeed, type FeedState, type LiveEvent } from './event-feed';
import { decisionPage } from './pages/decision';
import { decisionsPage } from './pages/decisions';
import { driftPage } from './pages/drift';
import { exportPage, exportsPage } from './pages/exports';
import { modelLookupPage, modelPage } from './pages/models';
import { signInPage } from './pages/sign-in';
import { hrefOf, parseRoute, type Route } from './router';
import { session } from './session';
import type { ExportStatus } from './types';
import { errorPanel, pageHeading } from './ui';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');

const api = new ApiClient({ token: session.token, onUnauthorized: () => session.signOut() });
const exports = new Map<string, ExportStatus>();
const liveListeners = new Set<(event: LiveEvent) => void>();

const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', 'data-testid': 'announcer' });
const main = h('main', { id: 'main', tabindex: -1 });
const liveStatus = h('span', { class: 'live-status', role: 'status', 'data-state': 'stopped' }, 'Live updates off');
const who = h('span', { class: 'who' });
const nav = h('nav', { 'aria-label': 'Main' });
const NAV: readonly [Route['page'], string, Route][] = [
  ['decisions', 'Decisions', { page: 'decisions', query: {} }],
  ['models', 'Models', { page: 'models', query: {} }],
  ['drift', 'Drift', { page: 'drift', query: {} }],
  ['exports', 'Exports', { page: 'exports' }],
];
const signOut = h('button', { type: 'button', class: 'link-button' }, 'Sign out');
const skip = h('a', { class: 'skip-link', href: '#main' }, 'Skip to content');
skip.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
const header = h('header', { class: 'topbar' }, h('a', { class: 'brand', href: '#/decisions' }, 'aiaudit console'), nav, h('div', { class: 'session' }, who, liveStatus, signOut));
root.replaceChildren(skip, header, main, announcer);

const FEED_TEXT: Readonly<Record<FeedState, string>> = { connecting: 'Live updates connecting…', live: 'Live updates on', offline: 'Live updates reconnecting…', stopped: 'Live updates off' };
const feed = new EventFeed({
  url: `${API_BASE}/events`,
  token: session.token,
  onEvent: (event) => {
    for (const listener of [...liveListeners]) listener(event);
  },
  onState: (state, detail) => {
    liveStatus.dataset['state'] = state;
    liveStatus.textContent = FEED_TEXT[state];
    liveStatus.title = detail ?? '';
  },
});

const announce = (message: string): void => {
  announcer.textContent = '';
  // A fresh text node is read out even when the message repeats.
  setTimeout(() => (announcer.textContent = message), 50);
};

let leaveCurrent: () => void = () => undefined;
let generation = 0;
/** Where to go after signing in, when the tab was opened on a deep link. */
let intended: Route | undefined;

function showPage(): void {
  leaveCurrent();
  const principal = session.principal();
  const route = parseRoute(location.hash);
  header.hidden = principal === undefined;
  if (principal === undefined) {
    if (route.page !== 'decisions' || Object.keys(route.query).length > 0) intended = route;
    signInPage(main, api, (token, who) => session.signIn(token, who));
    return;
  }
  const mine = ++generation;
  const cleanups: (() => void)[] = [];
  leaveCurrent = () => {
    generation++;
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  const ctx: PageContext = {
    api,
    principal,
    exports,
    announce,
    navigate: (to) => {
      const hash = hrefOf(to);
      if (location.hash === hash) showPage();
      else location.hash = hash;
    },
    onLive: (listener) => {
      liveListeners.add(listener);
      cleanups.push(() => liveListeners.delete(listener));
    },
    onLeave: (cleanup) => cleanups.push(cleanup),
    alive: () => generation === mine,
  };
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset['page'] === pageGroup(route)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
  const rendering = render(ctx, route);
  rendering.catch((err: unknown) => {
    if (ctx.alive()) main.replaceChildren(pageHeading('Something went wrong'), errorPanel(err, 'this page'));
  });
}

function pageGroup(route: Route): string {
  switch (route.page) {
    case 'decision':
      return 'decisions';
    case 'model':
      return 'models';
    case 'export':
      return 'exports';
    default:
      return route.page;
  }
}

async function render(ctx: PageContext, route: Route): Promise<void> {
  switch (route.page) {
    case 'decisions':
      return decisionsPage(ctx, route.query, main);
    case 'decision':
      return decisionPage(ctx, route.decisionId, main);
    case 'models':
      return modelLookupPage(ctx, route.query, main);
    case 'model':
      return modelPage(ctx, route.modelId, route.version, main);
    case 'drift':
      return driftPage(ctx, route.query, main);
    case 'exports':
      return exportsPage(ctx, main);
    case 'export':
      return exportPage(ctx, route.exportId, main);
    case 'not-found':
      main.replaceChildren(pageHeading('Not found'), h('p', {}, `There is no page #/${route.path}. `, h('a', { href: '#/decisions' }, 'Go to decisions'), '.'));
      return;
  }
}

nav.append(...NAV.map(([page, label, route]) => h('a', { href: hrefOf(route), 'data-page': page }, label)));
signOut.addEventListener('click', () => session.signOut());
session.onChange(() => {
  const principal = session.principal();
  if (principal === undefined) {
    feed.stop();
    exports.clear();
    who.textContent = '';
  } else {
    who.textContent = `${principal.role} · ${principal.org}`;
    who.title = principal.id;
    feed.start();
    if (intended !== undefined) {
      const target = intended;
      intended = undefined;
      if (location.hash !== hrefOf(target)) {
        location.hash = hrefOf(target);
        return;
      }
    }
  }
  showPage();
});
window.addEventListener('hashchange', showPage);
showPage();
