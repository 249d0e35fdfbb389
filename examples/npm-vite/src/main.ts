// `import '@parley/widget'` registers <parley-chat> and the component elements.
import '@parley/widget';
import type { ParleyChat } from '@parley/widget';
// The headless client, for a UI of your own.
import { ParleyClient, type ChatMessage } from '@parley/widget/client';

const server = import.meta.env.VITE_PARLEY_SERVER ?? 'http://localhost:3000';

// 1. The ready-made widget, inline in the page.
const chat = document.createElement('parley-chat') as ParleyChat;
chat.server = server;
chat.mode = 'inline';
chat.heading = 'Support';
chat.theme = 'auto';
chat.addEventListener('parley-message', (event) => console.log('message', event.detail.seq, event.detail.role));
document.querySelector('#inline')!.append(chat);

// 2. The same conversation engine without any UI: plain state and events.
const client = new ParleyClient({ server, storage: sessionStorage });
const log = document.querySelector<HTMLDivElement>('#custom-log')!;
const state = document.querySelector<HTMLSpanElement>('#custom-state')!;
const plain = (m: ChatMessage) =>
  m.components
    .map((c) => (c.type === 'text' || c.type === 'error' ? c.payload.text.replace(/<[^>]*>/g, '') : c.type === 'button_options' ? c.payload.options.map((o) => `[${o.label}]`).join(' ') : ''))
    .filter(Boolean)
    .join(' ');

client.on('message', (message) => {
  const line = document.createElement('p');
  line.textContent = `${message.role}: ${plain(message)}`;
  log.append(line);
});
client.on('connection', (connection) => (state.textContent = connection));
client.connect();

document.querySelector('#custom-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.querySelector<HTMLInputElement>('#custom-input')!;
  if (input.value.trim()) client.sendMessage(input.value.trim());
  input.value = '';
});
