/**
 * The lazily loaded part of the script-tag widget: the elements every conversation shows, Lit and
 * the client. The launcher (`cdn.ts`) imports this file when the visitor opens the chat, the page
 * calls the API, or the browser is idle.
 *
 * Components most conversations never show (forms, uploads, product carousels and cards) are
 * feature chunks: each is imported when the first message that holds one arrives. Until its
 * chunk has loaded the element is an unknown tag; Lit keeps the properties set on it and applies
 * them when the element is defined, a few milliseconds later.
 */
import '../components/text/text.js';
import '../components/error/error.js';
import '../components/image/image.js';
import '../components/button-options/button-options.js';
import '../components/typing/typing.js';
import '../components/message/message.js';
import '../components/thread/thread.js';
import '../components/composer/composer.js';
import '../components/chat/chat.js';
import type { ChatMessage } from '../protocol.js';
import type { ParleyChat } from '../components/chat/chat.component.js';
import type { EmbedConfig } from './config.js';

/** The feature chunks, by the component type that needs them. */
const FEATURES: Record<string, () => Promise<unknown>> = {
  form: () => import('../components/form/form.js'),
  file_request: () => import('../components/file-request/file-request.js'),
  product_carousel: () => import('../components/product-carousel/product-carousel.js'),
  selected_product_card: () => import('../components/selected-product-card/selected-product-card.js'),
};

/** Imports the chunks a message's components need (each once; a failed import is tried again next time). */
function loadFeatures(message: ChatMessage): void {
  for (const { type } of message.components) {
    const load = FEATURES[type];
    if (!load) continue;
    delete FEATURES[type];
    load().catch((error: unknown) => {
      FEATURES[type] = load;
      console.error('Parley: a part of the widget could not load', error);
    });
  }
}

/** Creates `<parley-chat>` from the embed settings and puts it in the page. */
export function mount(config: EmbedConfig): ParleyChat {
  const chat = document.createElement('parley-chat');
  chat.addEventListener('parley-message', (event) => loadFeatures(event.detail));
  chat.server = config.server;
  chat.site = config.site;
  chat.locale = config.locale ?? document.documentElement.lang ?? undefined;
  chat.heading = config.title;
  chat.color = config.color;
  chat.theme = config.theme ?? 'light';
  chat.position = config.position === 'left' ? 'left' : 'right';
  chat.mode = config.mode ?? 'floating';
  chat.transport = config.transport;
  chat.strings = config.strings ?? {};
  chat.launcher = config.launcher === 'none' ? 'none' : 'default';
  const target = config.mode === 'inline' && config.target ? document.querySelector(config.target) : null;
  (target ?? document.body).append(chat);
  if (config.open) chat.show();
  return chat;
}
