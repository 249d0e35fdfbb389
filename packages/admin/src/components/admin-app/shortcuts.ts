import type { Route } from '../../controllers/router-controller.js';

/**
 * The dashboard's keyboard shortcuts, outside text fields: `j`/`k` open the next/previous chat
 * of the list, `r` focuses the reply box, `n` the box in Note mode, `/` opens search, `Escape`
 * goes back to the list. Returns where to go, `'reply'` or `'note'`, or undefined when the key is
 * not a shortcut.
 */
export function shortcut(event: KeyboardEvent, route: Route, ids: readonly string[]): Route | 'reply' | 'note' | undefined {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return undefined;
  const target = event.composedPath()[0] as HTMLElement | undefined;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return undefined;
  const at = route.conversationId ? ids.indexOf(route.conversationId) : -1;
  switch (event.key) {
    case 'j':
    case 'k': {
      if (route.screen !== 'inbox' || !ids.length) return undefined;
      const next = event.key === 'j' ? Math.min(ids.length - 1, at + 1) : Math.max(0, at - 1);
      return { screen: 'inbox', conversationId: ids[next]! };
    }
    case 'r':
      return route.conversationId ? 'reply' : undefined;
    case 'n':
      return route.conversationId ? 'note' : undefined;
    case '/':
      return { screen: 'search' };
    case 'Escape':
      return route.conversationId ? { screen: 'inbox' } : undefined;
    default:
      return undefined;
  }
}
