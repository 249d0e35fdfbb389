import type { ParleyStrings } from '../i18n.js';

/** The script-tag widget's settings: from `data-*` attributes, then `Parley('init', {...})`. */
export interface EmbedConfig {
  /** The Parley server; the origin the script was loaded from by default. */
  server: string;
  site?: string | undefined;
  position?: 'right' | 'left' | undefined;
  color?: string | undefined;
  title?: string | undefined;
  /** Open the panel as soon as the page loads. */
  open?: boolean | undefined;
  locale?: string | undefined;
  theme?: 'light' | 'dark' | 'auto' | undefined;
  /** `floating` (default), `inline` (inside `target`) or `page` (fills the window). */
  mode?: 'floating' | 'inline' | 'page' | undefined;
  /** CSS selector of the element an inline widget goes into. */
  target?: string | undefined;
  transport?: 'auto' | 'websocket' | 'http' | undefined;
  strings?: Partial<ParleyStrings> | undefined;
  /** `none` hides the launcher bubble (`data-launcher="none"`): the page opens the chat itself. */
  launcher?: 'default' | 'none' | undefined;
}

/** Events a page can listen to with `Parley.on(name, fn)`. */
export type EmbedEvent = 'open' | 'close' | 'message' | 'unread' | 'lead' | 'identify' | 'handoff' | 'connection' | 'ready' | 'availability';
