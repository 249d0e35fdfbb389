import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The screens of the dashboard. */
export type Screen = 'inbox' | 'search' | 'leads' | 'agents' | 'settings' | 'ai' | 'webhooks' | 'companies' | 'account' | 'insights' | 'articles' | 'bot';

/** Where the dashboard is: a screen, and for the inbox the open conversation. */
export interface Route {
  screen: Screen;
  conversationId?: string;
}

const SCREENS: readonly Screen[] = ['inbox', 'search', 'leads', 'agents', 'settings', 'ai', 'webhooks', 'companies', 'account', 'insights', 'articles', 'bot'];

/** Reads a route from a path under `base` (`/admin/inbox/c_123` -> inbox, c_123). Unknown paths are the inbox. */
export function parseRoute(pathname: string, base = '/admin'): Route {
  const rest = pathname.startsWith(base) ? pathname.slice(base.length) : pathname;
  const [first = '', second] = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const screen = (SCREENS as readonly string[]).includes(first) ? (first as Screen) : 'inbox';
  return first === 'inbox' && second ? { screen, conversationId: second } : { screen };
}

/** The path of a route under `base`. */
export function routePath(route: Route, base = '/admin'): string {
  return `${base}/${route.screen}${route.conversationId ? `/${encodeURIComponent(route.conversationId)}` : ''}`;
}

/**
 * History-API routing under `/admin` (the server answers every `/admin/*` path with the app):
 * keeps the current route, follows back/forward, and pushes new paths.
 */
export class RouterController implements ReactiveController {
  route: Route;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly base = '/admin',
  ) {
    this.route = parseRoute(location.pathname, base);
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('popstate', this.onPop);
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.onPop);
  }

  /** Goes to a route, adding a history entry (or replacing the current one). */
  go(route: Route, replace = false): void {
    const path = routePath(route, this.base);
    if (path !== location.pathname) history[replace ? 'replaceState' : 'pushState'](null, '', path);
    this.route = route;
    this.host.requestUpdate();
  }

  private readonly onPop = (): void => {
    this.route = parseRoute(location.pathname, this.base);
    this.host.requestUpdate();
  };
}
