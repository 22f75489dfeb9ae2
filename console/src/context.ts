// What every page is given: the API client, the caller, navigation, announcements, the live feed and the session's exports.
import type { ApiClient } from './api';
import type { LiveEvent } from './event-feed';
import type { Route } from './router';
import type { ExportStatus, Principal } from './types';

export interface PageContext {
  api: ApiClient;
  principal: Principal;
  navigate(route: Route): void;
  /** Read out by screen readers (aria-live polite). */
  announce(message: string): void;
  /** Subscribes to the live event feed until the page is left. */
  onLive(listener: (event: LiveEvent) => void): void;
  /** Runs when the page is left (timers, subscriptions). */
  onLeave(cleanup: () => void): void;
  /** False once the user has navigated away: async work must not touch the page then. */
  alive(): boolean;
  /** Exports started in this tab, newest first. */
  exports: Map<string, ExportStatus>;
}
