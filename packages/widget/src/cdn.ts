/**
 * The script-tag launcher (`/widget.js`): tiny, no dependencies. It reads the `data-*` settings,
 * draws the launcher button, installs `window.Parley` (replaying calls queued before it loaded),
 * and imports the rest of the widget, resolved against this script's own URL, when the visitor
 * opens the chat, the page calls the API, or the browser is idle.
 *
 * Privacy: until then nothing is stored and no connection opens.
 */
import type { EmbedConfig, EmbedEvent } from './cdn/config.js';
import type { ParleyChat } from './components/chat/chat.component.js';
import { textOn } from './components/chat/color.js';

declare const __PARLEY_APP__: string;

type Call = [method: string, ...args: unknown[]];
type Listener = (payload: unknown) => void;
interface ParleyApi {
  (method: string, ...args: unknown[]): unknown;
  q?: Call[];
}

const EVENTS: EmbedEvent[] = ['open', 'close', 'message', 'unread', 'lead', 'identify', 'handoff', 'connection', 'ready', 'availability'];
const w = window as unknown as { Parley?: ParleyApi | Call[]; requestIdleCallback?: (fn: () => void, o: object) => void };

function scriptElement(): HTMLScriptElement | null {
  return (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
}

function start(script: HTMLScriptElement | null): void {
  const src = script?.src ?? location.href;
  const data = script?.dataset ?? {};
  const config: EmbedConfig = {
    server: data.server ?? new URL('.', src).href,
    site: data.site,
    position: data.position === 'left' ? 'left' : 'right',
    color: data.color,
    title: data.title,
    open: data.open !== undefined && data.open !== 'false',
    locale: data.locale,
    theme: (data.theme as EmbedConfig['theme']) ?? 'light',
    mode: (data.mode as EmbedConfig['mode']) ?? 'floating',
    target: data.target,
    transport: data.transport as EmbedConfig['transport'],
    launcher: data.launcher === 'none' ? 'none' : 'default',
  };
  const listeners = new Map<string, Set<Listener>>();
  const waiting: Array<[keyof ParleyChat, unknown[]]> = [];
  let chat: ParleyChat | undefined;
  let loading: Promise<void> | undefined;
  let stub: HTMLElement | undefined;
  let ready = false;
  let stopped = false;

  const emit = (name: string, payload: unknown) => {
    if (name === 'ready') ready = true;
    listeners.get(name)?.forEach((fn) => fn(payload));
  };

  const load = (): Promise<void> =>
    (loading ??= import(/* @vite-ignore */ new URL(__PARLEY_APP__, src).href).then(
      (app: { mount(config: EmbedConfig): ParleyChat }) => {
        if (stopped) return;
        chat = app.mount(config);
        for (const name of EVENTS) chat.addEventListener(`parley-${name}`, (e) => emit(name, (e as CustomEvent).detail));
        stub?.remove();
        // A queued call that throws (a bad attribute) is reported; the others still run.
        for (const [method, args] of waiting.splice(0)) {
          try {
            (chat[method] as (...a: unknown[]) => void)(...args);
          } catch (error) {
            console.error(`Parley: ${method} failed`, error);
          }
        }
      },
      (error: unknown) => {
        loading = undefined;
        console.error('Parley: the widget could not load', error);
      },
    ));

  const call = (method: keyof ParleyChat, ...args: unknown[]) => {
    if (stopped) return undefined;
    if (chat) return (chat[method] as (...a: unknown[]) => unknown)(...args);
    waiting.push([method, args]);
    void load();
    return undefined;
  };

  /** Shows or hides the launcher: the element's own once loaded, the early bubble before. */
  const setLauncher = (shown: boolean) => {
    config.launcher = shown ? 'default' : 'none';
    if (chat) chat.launcher = config.launcher;
    else if (!shown) stub?.remove();
    else if (!stub?.isConnected && config.mode === 'floating' && !stopped) stub = drawLauncher(config, openFromStub);
  };
  const openFromStub = () => {
    waiting.push(['show', []]);
    void load();
  };

  const api = ((method: string, ...args: unknown[]) => (api as unknown as Record<string, (...a: unknown[]) => unknown>)[method]?.(...args)) as ParleyApi &
    Record<string, unknown>;
  Object.assign(api, {
    /** Opens the chat panel. */
    open: () => call('show'),
    /** Closes the chat panel. */
    close: () => chat?.hide(),
    toggle: () => call('toggle'),
    /** Tells Parley who the visitor is: `{ id, name, email, hash }` or `{ token }` (docs/identity.md). */
    identify: (identity: object) => call('identify', identity),
    /** Sends a message as the visitor. */
    sendMessage: (text: string) => call('send', text),
    /** Forgets the conversation (call it when a visitor logs out). */
    reset: () => (chat ? chat.reset() : undefined),
    /** Listens to open, close, message, unread, lead, identify, handoff, connection, ready or availability. */
    on: (name: string, fn: Listener) => {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(fn);
      // `ready` is a state as much as an event: a listener added late still hears it.
      if (name === 'ready' && ready) fn(undefined);
    },
    off: (name: string, fn: Listener) => listeners.get(name)?.delete(fn),
    /** Changes settings before the widget loads (`strings`, `title`, `color`, ...). */
    init: (options: Partial<EmbedConfig>) => Object.assign(config, options),
    /** Hides the launcher bubble, for a page that opens the chat from its own button. */
    hideLauncher: () => setLauncher(false),
    showLauncher: () => setLauncher(true),
    /** Tells Parley about the visitor's context (`{ plan: 'pro', cart_total: 42 }`); see docs/widget.md. */
    setAttributes: (attributes: object) => call('setPageAttributes', attributes),
    /** Puts text in the composer for the visitor to send. */
    prefill: (text: string) => call('prefill', text),
    /** Changes the widget's language at run time (`'fr'`, `'ar'`). */
    setLocale: (locale: string) => {
      config.locale = locale;
      if (chat) chat.locale = locale;
    },
    isOpen: () => !!chat?.open,
    unreadCount: () => chat?.client?.unread ?? 0,
    /** Removes the widget from the page: the element, its connection, its listeners and this API's state. */
    shutdown: () => {
      stopped = true;
      chat?.remove();
      stub?.remove();
      chat = stub = undefined;
      listeners.clear();
      waiting.length = 0;
    },
  });

  const queued: Call[] = Array.isArray(w.Parley) ? w.Parley : ((w.Parley as ParleyApi | undefined)?.q ?? []);
  w.Parley = api;
  for (const [method, ...args] of queued) api(method, ...args);

  if (config.mode !== 'floating' || config.open || waiting.length) {
    void load();
    return;
  }
  if (config.launcher !== 'none') stub = drawLauncher(config, openFromStub);
  const idle = () => void load();
  if (w.requestIdleCallback) w.requestIdleCallback(idle, { timeout: 5000 });
  else setTimeout(idle, 2000);
}

/** The launcher button, drawn before Lit loads; `<parley-chat>` replaces it with an identical one. */
function drawLauncher(config: EmbedConfig, onClick: () => void): HTMLElement {
  const host = document.createElement('div');
  const side = config.position === 'left' ? 'left' : 'right';
  host.style.cssText = `position:fixed;bottom:20px;${side}:20px;z-index:2147483000`;
  const root = host.attachShadow({ mode: 'open' });
  const color = /^#[0-9a-f]{3,8}$/i.test(config.color ?? '') ? config.color : '#2563eb';
  root.innerHTML = `<style>button{width:56px;height:56px;border-radius:50%;border:0;background:var(--parley-primary,${color});color:${textOn(color!) ?? '#fff'};box-shadow:0 4px 14px rgb(0 0 0/.25);cursor:pointer;display:grid;place-items:center}button:focus-visible{outline:2px solid ${color};outline-offset:2px}</style><button type="button" aria-label="${config.strings?.open ?? 'Open chat'}" aria-expanded="false"><svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg></button>`;
  root.querySelector('button')!.addEventListener('click', onClick);
  (document.body ?? document.documentElement).append(host);
  return host;
}

const self = scriptElement();
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => start(self));
else start(self);
