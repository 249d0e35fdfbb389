import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The colour scheme: follow the system, or a fixed choice. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'parley.admin.theme';

/**
 * Light and dark: applies the choice as `data-theme` on the document element (page.css defines
 * both palettes), remembers it, and follows the system setting while the choice is `system`.
 */
export class ThemeController implements ReactiveController {
  choice: ThemeChoice;
  private readonly media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    const saved = safeGet(KEY);
    this.choice = saved === 'light' || saved === 'dark' ? saved : 'system';
    host.addController(this);
  }

  /** The scheme in effect. */
  get dark(): boolean {
    return this.choice === 'dark' || (this.choice === 'system' && Boolean(this.media?.matches));
  }

  hostConnected(): void {
    this.media?.addEventListener('change', this.apply);
    this.apply();
  }

  hostDisconnected(): void {
    this.media?.removeEventListener('change', this.apply);
  }

  /** Switches between light and dark (leaving "system"). */
  toggle(): void {
    this.choice = this.dark ? 'light' : 'dark';
    try {
      localStorage.setItem(KEY, this.choice);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    this.apply();
  }

  private readonly apply = (): void => {
    document.documentElement.dataset.theme = this.dark ? 'dark' : 'light';
    this.host.requestUpdate();
  };
}

function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
