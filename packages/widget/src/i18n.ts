/**
 * Every string the widget shows or announces. English by default; pass a partial object to
 * override any of them (`<parley-chat .strings=${{ send: 'Envoyer' }}>` or `Parley.init({ strings })`).
 * `{n}` and `{name}` are replaced where noted.
 */
export interface ParleyStrings {
  title: string;
  open: string;
  close: string;
  unread: string;
  placeholder: string;
  send: string;
  online: string;
  connecting: string;
  reconnecting: string;
  polling: string;
  idle: string;
  sending: string;
  notSent: string;
  retry: string;
  thinking: string;
  typing: string;
  you: string;
  bot: string;
  agent: string;
  talkToPerson: string;
  /** The link under an article answer. */
  readArticle: string;
  ended: string;
  chooseFile: string;
  dropHere: string;
  uploading: string;
  uploaded: string;
  tooLarge: string;
  wrongType: string;
  previous: string;
  next: string;
  select: string;
  quantity: string;
  total: string;
  products: string;
  options: string;
}

export const defaultStrings: ParleyStrings = {
  title: 'Chat with us',
  open: 'Open chat',
  close: 'Close chat',
  unread: '{n} unread',
  placeholder: 'Type a message…',
  send: 'Send',
  online: 'Online',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting… messages will be sent when back online',
  polling: 'Online (limited connection)',
  idle: 'Not connected',
  sending: 'Sending…',
  notSent: 'Not sent.',
  retry: 'Retry',
  thinking: 'Bot is thinking…',
  typing: '{name} is typing…',
  you: 'You',
  bot: 'Bot',
  agent: 'Agent',
  talkToPerson: 'Talk to a person',
  readArticle: 'Read the article',
  ended: 'This conversation has ended. Send a message to start again.',
  chooseFile: 'Choose an image',
  dropHere: 'or drop it here',
  uploading: 'Uploading…',
  uploaded: 'Uploaded',
  tooLarge: 'This file is too large (at most {n}).',
  wrongType: 'This type of file is not accepted.',
  previous: 'Previous',
  next: 'Next',
  select: 'Select',
  quantity: 'Quantity',
  total: 'Total',
  products: 'Products',
  options: 'Options',
};

const RTL = /^(ar|he|fa|ur|ps|sd|yi|dv|ku|ug)(-|$)/i;

/** `rtl` for right-to-left languages, else `ltr`. */
export function directionOf(locale: string | undefined): 'ltr' | 'rtl' {
  return locale && RTL.test(locale) ? 'rtl' : 'ltr';
}

/** Fills `{key}` placeholders. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
