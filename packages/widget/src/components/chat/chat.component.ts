import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { Component, PageAttributes } from '../../protocol.js';
import type { ParleyClient } from '../../client/parley-client.js';
import type { ParleyClientOptions, VisitorIdentity } from '../../client/types.js';
import { ChatController } from '../../controllers/chat-controller.js';
import { ParleyChatEvent } from '../../events/parley-chat-event.js';
import type { ParleyActionEvent } from '../../events/parley-action.js';
import type { ParleyFormEvent } from '../../events/parley-form.js';
import type { ParleyUploadEvent } from '../../events/parley-upload.js';
import type { ParleyRateEvent } from '../../events/parley-rate.js';
import { defaultStrings, directionOf, format, type ParleyStrings } from '../../i18n.js';
import { tokens } from '../../styles/tokens.js';
import type { ParleyComposer } from '../composer/composer.component.js';
import { textOn } from './color.js';
import { styles } from './chat.styles.js';

const CHAT_ICON = html`<svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" /></svg>`;
const CLOSE_ICON = html`<svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true"><path stroke="currentColor" stroke-width="2.2" stroke-linecap="round" d="M6 6l12 12M18 6 6 18" /></svg>`;

/**
 * The chat widget: a launcher bubble and a panel with the conversation (`mode="floating"`, the
 * default), or the panel alone inside the page (`inline`) or filling the window (`page`).
 * Below 480 px wide the floating panel takes the whole screen.
 *
 * Nothing is stored and no connection opens until the visitor opens the panel or the page calls
 * `show()`, `send()` or `identify()`; a returning visitor's saved session is resumed at once.
 *
 * @fires parley-open - The panel opened.
 * @fires parley-close - The panel closed.
 * @fires parley-message - A message was added (`detail` is the ChatMessage).
 * @fires parley-unread - The unread count changed (`detail` is the count).
 * @fires parley-lead - The server stored a lead from the visitor (`detail.id`, `detail.data`, `detail.email`).
 * @fires parley-identify - The server checked the identity given to `identify()` (`detail.verified`, `detail.error`).
 * @fires parley-handoff - A person was asked for or joined (`detail.status`, `position`, `agent`).
 * @fires parley-connection - The connection state changed (`detail`).
 * @fires parley-ready - The element is on the page and rendered; its methods can be called.
 * @fires parley-availability - Whether an agent of the company is connected changed (`detail` is `online` or `offline`).
 * @csspart launcher - The round button that opens and closes the panel.
 * @csspart badge - The unread count on the launcher.
 * @csspart panel - The chat panel.
 * @csspart header - The panel's header (title, status, close).
 * @csspart title - The title.
 * @csspart status - The connection state line.
 * @csspart close - The close button.
 * @csspart handoff - The "Talk to a person" button in the header.
 * @csspart thread - The conversation (forwards log, avatar, meta, bubble, notice, ended).
 * @csspart composer - The input row (forwards form, input, send).
 * @cssprop --parley-primary - Brand color: launcher, header, the visitor's bubbles, buttons. Default #2563eb.
 * @cssprop --parley-on-primary - Text on the brand color. Default white (computed from `color`).
 * @cssprop --parley-surface - Panel background.
 * @cssprop --parley-surface-2 - Bot and agent bubbles.
 * @cssprop --parley-text - Text color.
 * @cssprop --parley-muted - Secondary text (times, hints).
 * @cssprop --parley-border - Borders.
 * @cssprop --parley-error - Error text; --parley-error-bg its background.
 * @cssprop --parley-focus - Focus ring.
 * @cssprop --parley-accent - Text and icons in the brand color on the surface (outlined buttons). Default the primary color; light grey in dark theme.
 * @cssprop --parley-radius - Corner radius. Default 14px.
 * @cssprop --parley-font - Font family. Default the system UI font.
 * @cssprop --parley-width - Floating panel width. Default 380px.
 * @cssprop --parley-height - Floating panel height. Default 620px.
 * @cssprop --parley-offset - Distance from the window's corner. Default 20px.
 * @cssprop --parley-z-index - Stacking order of the floating widget.
 */
export class ParleyChat extends LitElement {
  static override styles = [tokens, styles];
  static override properties = {
    server: {},
    site: {},
    locale: {},
    heading: {},
    color: {},
    theme: { reflect: true },
    position: { reflect: true },
    mode: { reflect: true },
    open: { type: Boolean, reflect: true },
    transport: {},
    strings: { attribute: false },
    launcher: { reflect: true },
    availability: { reflect: true },
  };

  /** Base URL of the Parley server. */
  declare server: string;
  /** Public site key (`pk_...`); the server's default company when empty. */
  declare site: string | undefined;
  /** Language of the widget (time format, text direction, sent to the server). */
  declare locale: string | undefined;
  /** Title of the panel. Defaults to the `title` string. */
  declare heading: string | undefined;
  /** Brand color (`#rrggbb`): sets `--parley-primary` and a legible text color on it. */
  declare color: string | undefined;
  /** `light`, `dark` or `auto` (follows the visitor's system). */
  declare theme: 'light' | 'dark' | 'auto';
  /** `right` or `left` corner for the floating widget. */
  declare position: 'right' | 'left';
  /** `floating` bubble, `inline` in the page, or full `page`. */
  declare mode: 'floating' | 'inline' | 'page';
  /** Whether the panel is open (always, in `inline` and `page` modes). */
  declare open: boolean;
  /** `auto`, `websocket` or `http`. */
  declare transport: ParleyClientOptions['transport'];
  /** Overrides of any UI strings (see ParleyStrings). */
  declare strings: Partial<ParleyStrings>;
  /** `none` hides the launcher bubble, so the page opens the chat from its own button (`show()`). */
  declare launcher: 'default' | 'none';
  /**
   * `online` while an agent of the company is connected, `offline` when none is; unset until the
   * widget has connected. Set by the widget (style with `parley-chat[availability=online]`).
   */
  declare availability: 'online' | 'offline' | undefined;

  private readonly chat = new ChatController(this);

  constructor() {
    super();
    this.server = '';
    this.theme = 'light';
    this.position = 'right';
    this.mode = 'floating';
    this.open = false;
    this.strings = {};
    this.launcher = 'default';
  }

  /** The headless client behind the widget; assign one to use your own options. */
  get client(): ParleyClient | undefined {
    return this.chat.client;
  }
  set client(client: ParleyClient) {
    this.chat.use(client);
  }

  /** Opens the panel and moves focus into it. */
  show(): void {
    this.open = true;
  }

  /** Closes the panel and gives focus back to the launcher. */
  hide(): void {
    this.open = false;
  }

  toggle(): void {
    this.open = !this.open;
  }

  /** Sends a message as the visitor (opens the connection if needed). */
  send(text: string): void {
    this.chat.connect();
    this.client?.sendMessage(text);
  }

  /** Tells the server who the visitor is (verified with `hash` or `token`; see docs/identity.md). */
  identify(identity: VisitorIdentity): void {
    this.chat.connect();
    this.client?.identify(identity);
  }

  /**
   * Tells the server about the visitor's context (`{ plan: 'pro', cart_total: 42 }`): agents see
   * it, flows read `{{attributes.plan}}`, the AI gets it. Sent once the chat connects; opens
   * nothing by itself. Throws a `TypeError` for a bad key or value (see `ParleyClient.setAttributes`).
   */
  setPageAttributes(attributes: PageAttributes): void {
    this.client?.setAttributes(attributes);
  }

  /** Puts text in the composer for the visitor to edit and send (it is not sent). */
  async prefill(text: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<ParleyComposer>('parley-composer')?.prefill(text);
  }

  /** Forgets the conversation (for a log-out) and starts a new one when next opened. */
  async reset(): Promise<void> {
    await this.client?.reset();
  }

  private get visible(): boolean {
    return this.open || this.mode !== 'floating';
  }

  private get text(): ParleyStrings {
    return { ...defaultStrings, ...this.strings };
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('color')) {
      const on = this.color ? textOn(this.color) : undefined;
      this.style.setProperty('--parley-primary', this.color || null);
      this.style.setProperty('--parley-on-primary', on ?? null);
    }
    if (changed.has('open') || changed.has('mode')) {
      if (this.visible) this.chat.connect();
      this.client?.setVisible(this.visible);
    }
    if (changed.has('locale')) {
      if (this.client) this.client.locale = this.locale;
      this.lang = this.locale ?? '';
      this.dir = directionOf(this.locale);
    }
  }

  override firstUpdated(): void {
    this.dispatchEvent(new ParleyChatEvent('ready', undefined));
  }

  override updated(changed: PropertyValues<this>): void {
    if (!changed.has('open') && !changed.has('mode')) return;
    const wasOpen = changed.get('open');
    if (changed.has('open') && wasOpen !== undefined) {
      this.dispatchEvent(new ParleyChatEvent(this.open ? 'open' : 'close', undefined));
      if (this.open) this.renderRoot.querySelector<ParleyComposer>('parley-composer')?.focus();
      else this.renderRoot.querySelector<HTMLButtonElement>('.launcher')?.focus();
    }
    if (this.open) this.renderRoot.querySelector<HTMLElement & { scrollToEnd(): void }>('parley-thread')?.scrollToEnd();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.mode === 'floating' && this.open) {
      event.stopPropagation();
      this.hide();
    }
  }

  private onAction(event: ParleyActionEvent): void {
    this.client?.sendAction(event.value, event.shown);
  }

  private onSend(text: string): void {
    const client = this.client;
    if (!client) return;
    const masked: Component[] | undefined = client.inputHint?.kind === 'otp' ? [{ type: 'text', payload: { text: '•'.repeat(Math.min(text.length, 8)) } }] : undefined;
    client.sendMessage(text, masked);
  }

  private onUpload(event: ParleyUploadEvent): void {
    const client = this.client;
    if (!client) return event.settle({ error: 'Not connected' });
    client.upload(event.file, event.progress).then(
      (url) => {
        event.settle({ url });
        client.sendAction(url, [{ type: 'image', payload: { url, alt: event.file.name } }]);
      },
      (error: Error) => event.settle({ error: error.message }),
    );
  }

  private renderPanel(strings: ParleyStrings) {
    const client = this.client;
    const connection = client?.connection ?? 'idle';
    return html`<div
      part="panel"
      class="panel"
      id="panel"
      role=${this.mode === 'floating' ? 'dialog' : 'region'}
      aria-label=${this.heading || strings.title}
      ?hidden=${!this.visible}
      @keydown=${this.onKeydown}
      @parley-action=${this.onAction}
      @parley-form=${(e: ParleyFormEvent) => client?.sendForm(e.form, e.values, e.shown)}
      @parley-send=${(e: { text: string }) => this.onSend(e.text)}
      @parley-typing=${(e: { on: boolean }) => client?.setTyping(e.on)}
      @parley-retry=${(e: { id: string }) => client?.retry(e.id)}
      @parley-rate=${(e: ParleyRateEvent) => e.reply(client)}
      @parley-upload=${this.onUpload}
    >
      <header part="header">
        <div>
          <h2 part="title">${this.heading || strings.title}</h2>
          <p part="status" class="status" data-state=${connection} role="status"><span class="dot"></span>${strings[connection]}</p>
        </div>
        ${client?.session && (client.status === 'bot' || client.status === 'resolved')
          ? html`<button part="handoff" class="handoff" type="button" @click=${() => client.requestPerson(strings.talkToPerson)}>${strings.talkToPerson}</button>`
          : nothing}
        ${this.mode === 'floating'
          ? html`<button part="close" class="close" type="button" aria-label=${strings.close} @click=${this.hide}>${CLOSE_ICON}</button>`
          : nothing}
      </header>
      <parley-thread
        part="thread"
        exportparts="log, avatar, meta, bubble, notice, ended"
        .messages=${client?.messages ?? []}
        .pending=${client?.pending ?? []}
        .typing=${client?.typingInfo}
        ?thinking=${client?.thinking ?? false}
        .streaming=${client?.streaming}
        ?ended=${client?.isTerminal ?? false}
        .locale=${this.locale}
        .strings=${strings}
        .resolveUrl=${(url: string) => client?.resolveUrl(url)}
      ></parley-thread>
      <parley-composer part="composer" exportparts="form, input, send" .hint=${client?.inputHint} .strings=${strings}></parley-composer>
    </div>`;
  }

  override render() {
    const strings = this.text;
    const unread = this.open ? 0 : (this.client?.unread ?? 0);
    const launcher =
      this.mode === 'floating' && this.launcher !== 'none'
        ? html`<button
            part="launcher"
            class="launcher"
            type="button"
            aria-controls="panel"
            aria-expanded=${this.open ? 'true' : 'false'}
            aria-label=${this.open ? strings.close : strings.open}
            @click=${this.toggle}
          >
            ${this.open ? CLOSE_ICON : CHAT_ICON}
            ${unread ? html`<span part="badge" class="badge" aria-label=${format(strings.unread, { n: unread })}>${unread}</span>` : nothing}
          </button>`
        : nothing;
    return html`${this.renderPanel(strings)}${launcher}`;
  }
}
