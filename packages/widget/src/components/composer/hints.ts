import type { InputKind } from '../../protocol.js';

/** The input attributes that bring up the right keyboard and autofill for what the bot asks. */
export interface FieldHints {
  type: string;
  inputmode: string;
  autocomplete: string;
}

const HINTS: Record<InputKind, FieldHints> = {
  text: { type: 'text', inputmode: 'text', autocomplete: 'off' },
  email: { type: 'email', inputmode: 'email', autocomplete: 'email' },
  phone: { type: 'tel', inputmode: 'tel', autocomplete: 'tel' },
  number: { type: 'text', inputmode: 'numeric', autocomplete: 'off' },
  otp: { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code' },
};

/** Hints for an `input` component's kind; plain text when there is none. */
export function hintsFor(kind: InputKind | undefined): FieldHints {
  return HINTS[kind ?? 'text'] ?? HINTS.text;
}
