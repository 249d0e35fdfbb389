import { componentsToText, type ChatMessage, type ChatSummary } from '@parley/protocol';

/** Who said a message, as a transcript names them. */
function speaker(message: ChatMessage): string {
  switch (message.role) {
    case 'user':
      return 'Visitor';
    case 'bot':
      return 'Bot';
    case 'agent':
      return message.author?.name ? `${message.author.name} (agent)` : 'Agent';
    case 'system':
      return 'Notice';
  }
}

/** `2026-11-21T10:31:11.666001Z` as `2026-11-21 10:31:11` (UTC). */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/**
 * A conversation as plain text, for people: who the visitor was, then every message with its time
 * (UTC) and speaker, structured messages (buttons, products, forms) as the text they show. Lines
 * of a long message are indented under its first.
 *
 * @example transcriptText(chat, messages) // "Conversation 98ef…\n…\n[2026-11-21 10:31:11] Bot: What can I do for you?\n"
 */
export function transcriptText(chat: ChatSummary, messages: readonly ChatMessage[]): string {
  const { visitor } = chat;
  const lines = [`Conversation ${chat.id}`, `Started ${when(chat.created_at)} UTC, status ${chat.status}`];
  if (visitor.identity) {
    const { name, email, user_id: userId, verified } = visitor.identity;
    const who = [name, email ? `<${email}>` : null].filter(Boolean).join(' ') || userId;
    lines.push(`Visitor: ${who} (user id ${userId}, ${verified ? 'verified' : 'not verified'})`);
  }
  if (visitor.ip || visitor.user_agent) lines.push(`Visitor's address: ${[visitor.ip, visitor.user_agent].filter(Boolean).join(', ')}`);
  lines.push('');
  for (const message of messages) {
    const text = componentsToText(message.components).replace(/\r\n?/g, '\n').split('\n').join('\n    ');
    lines.push(`[${when(message.created_at)}] ${speaker(message)}: ${text}${message.status === 'error' ? ' (failed)' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
