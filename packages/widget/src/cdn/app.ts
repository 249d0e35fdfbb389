/**
 * The lazily loaded part of the script-tag widget: every element, Lit and the client. The
 * launcher (`cdn.ts`) imports this file when the visitor opens the chat or the page is idle.
 */
import '../index.js';
import type { ParleyChat } from '../components/chat/chat.component.js';
import type { EmbedConfig } from './config.js';

/** Creates `<parley-chat>` from the embed settings and puts it in the page. */
export function mount(config: EmbedConfig): ParleyChat {
  const chat = document.createElement('parley-chat');
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
  const target = config.mode === 'inline' && config.target ? document.querySelector(config.target) : null;
  (target ?? document.body).append(chat);
  if (config.open) chat.show();
  return chat;
}
