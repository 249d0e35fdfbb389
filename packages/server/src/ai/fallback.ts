import { HANDOFF_ACTION, type Component } from '@parley/protocol';

/** Why the visitor gets a fallback instead of an AI answer. */
export type AiFallbackReason = 'failed' | 'limited' | 'off';

const TEXTS: Record<AiFallbackReason, string> = {
  failed: "Sorry, I can't answer that right now.",
  limited: "You're asking faster than I can answer. Please wait a moment.",
  off: 'Our assistant is not available right now.',
};

/** The fallback message: a plain apology and the offer of a person (a button that asks for one). */
export function aiFallback(reason: AiFallbackReason): Component[] {
  return [
    { type: 'text', payload: { text: TEXTS[reason] } },
    { type: 'button_options', payload: { options: [{ label: 'Talk to a person', value: HANDOFF_ACTION }] } },
  ];
}

const QUESTION_START = /^(what|why|how|when|where|who|whom|which|can|could|do|does|did|is|are|was|will|would|should|may|might|have|has)\b/i;

/** Whether typed text reads as a question (so an AI may answer it rather than an input check). */
export function looksLikeQuestion(text: string): boolean {
  const trimmed = text.trim();
  return /\?\s*$/.test(trimmed) || QUESTION_START.test(trimmed);
}
