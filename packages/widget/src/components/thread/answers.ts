import type { ChatMessage } from '../../protocol.js';
import { lightHtmlToText } from '../../protocol.js';

/**
 * For each message, the plain text of the visitor's message that follows it (what they chose),
 * so a past button group or carousel can show the choice after a reload.
 */
export function answersOf(messages: readonly ChatMessage[]): Array<string | undefined> {
  return messages.map((message, i) => {
    const next = messages[i + 1];
    if (message.role === 'user' || next?.role !== 'user') return undefined;
    const text = next.components.find((c) => c.type === 'text');
    return text?.type === 'text' ? lightHtmlToText(text.payload.text) : undefined;
  });
}
