import { componentsToText, type ChatMessage, type Flow } from '@parley/protocol';
import type { ModelMessage } from './provider.js';

const GUIDANCE = [
  'Answer the visitor briefly and politely, in the language they write in.',
  'Use short paragraphs, and Markdown lists or bold where they help.',
  'Never invent facts you were not given (order details, prices, delivery dates, policies).',
  'If the visitor asks for a person, or you cannot answer reliably, call the handoff_to_human tool.',
].join(' ');

const MAX_MESSAGE_CHARS = 2000;

/** What the model needs to answer one question. */
export interface PromptInput {
  companyName: string;
  /** The company's own instructions (its system prompt setting). */
  systemPrompt: string;
  /** Earlier messages, oldest first; only the last `historyWindow` are used. */
  history: ChatMessage[];
  historyWindow: number;
  question: string;
  /** What the flow collected, already stripped of secrets (see `flowContext`). */
  variables?: Record<string, unknown>;
  /** Extra instructions of the flow's `ai` step. */
  instructions?: string;
  /** Passages of the company's help articles that may answer the question, numbered from 1 in order. */
  sources?: Array<{ title: string; heading: string; text: string }>;
}

const MAX_SOURCE_CHARS = 1500;

const SOURCES_GUIDANCE = [
  "Answer from the numbered sources below, which are passages of the company's help articles.",
  'After each statement taken from a source, cite it by its number in square brackets, like [1].',
  'If the sources do not answer the question, do not guess: say that you do not know, and call the handoff_to_human tool when the visitor needs a person.',
].join(' ');

/** The sources block of the system message: numbered passages with their article's title. */
export function sourcesBlock(sources: NonNullable<PromptInput['sources']>): string {
  const list = sources.map((s, i) => `[${i + 1}] ${s.title}${s.heading ? ` — ${s.heading}` : ''}\n${s.text.slice(0, MAX_SOURCE_CHARS)}`);
  return `${SOURCES_GUIDANCE}\n\nSources:\n${list.join('\n\n')}`;
}

/** The source numbers an answer cites (`[1]`, `[2, 3]`), each once, in the order first cited. */
export function citedSources(answer: string, count: number): number[] {
  const cited: number[] = [];
  for (const match of answer.matchAll(/\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]/g)) {
    for (const n of match[1]!.split(',').map((x) => Number(x.trim()))) if (n >= 1 && n <= count && !cited.includes(n)) cited.push(n);
  }
  return cited;
}

/**
 * The variables a flow collected that the model may see: one-time codes are left out, objects
 * shown by their fields.
 */
export function flowContext(flow: Flow, vars: Record<string, unknown>): Record<string, unknown> {
  const secret = new Set(
    Object.values(flow.steps).flatMap((step) => (step.type === 'input' && step.kind === 'otp' ? [step.var] : [])),
  );
  return Object.fromEntries(Object.entries(vars).filter(([name]) => !secret.has(name)));
}

function describeValue(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
  }
  return String(value);
}

/**
 * The messages sent to the model: a system message (our guidance, the company's instructions,
 * the flow's context), the conversation's recent turns as user/assistant messages, and the
 * visitor's question last.
 */
export function buildModelMessages(input: PromptInput): ModelMessage[] {
  const system = [`You are the customer support assistant of ${input.companyName}.`, GUIDANCE];
  if (input.systemPrompt.trim()) system.push(input.systemPrompt.trim());
  const variables = Object.entries(input.variables ?? {});
  if (variables.length) {
    system.push(`What the visitor told us so far:\n${variables.map(([k, v]) => `- ${k}: ${describeValue(v)}`).join('\n')}`);
  }
  if (input.instructions?.trim()) system.push(input.instructions.trim());
  if (input.sources?.length) system.push(sourcesBlock(input.sources));

  const turns: ModelMessage[] = [];
  const window = input.historyWindow > 0 ? input.history.slice(-input.historyWindow) : [];
  for (const message of window) {
    if (message.role === 'system') continue;
    const text = componentsToText(message.components).slice(0, MAX_MESSAGE_CHARS);
    if (!text) continue;
    turns.push({ role: message.role === 'user' ? 'user' : 'assistant', content: text });
  }
  return [{ role: 'system', content: system.join('\n\n') }, ...turns, { role: 'user', content: input.question.slice(0, MAX_MESSAGE_CHARS) }];
}
