import type { InputKind, InputRules } from '@parley/protocol';
import { resolveNumber, type FlowVars } from './interpolate.js';

/** The outcome of checking one answer: the value to store, or what to tell the visitor. */
export type CheckResult = { ok: true; value: string | number } | { ok: false; error: string };

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/;
const PHONE_DIGITS = /^\+?\d{7,15}$/;
const NUMBER = /^[-+]?\d+(?:[.,]\d+)?$/;
const OTP = /^\d{4,8}$/;

const DEFAULT_ERRORS: Record<InputKind, string> = {
  text: 'Please enter a valid answer.',
  email: 'Please enter a valid email address, like name@example.com.',
  phone: 'Please enter a valid phone number, with 7 to 15 digits.',
  number: 'Please enter a valid number.',
  otp: 'That code is not correct. Please check it and try again.',
};

function rangeError(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `Please enter a number from ${min} to ${max}.`;
  if (min !== undefined) return `Please enter a number of at least ${min}.`;
  return `Please enter a number of at most ${max}.`;
}

/**
 * Checks a visitor's answer against its kind (email, phone, number, OTP) and the step's rules.
 * `error` overrides the default message for every failure.
 */
export function checkInput(
  kind: InputKind,
  raw: string,
  rules: InputRules | undefined,
  vars: FlowVars,
  error?: string,
): CheckResult {
  const text = raw.trim();
  const fail = (message: string): CheckResult => ({ ok: false, error: error ?? message });
  if (text === '') return fail(DEFAULT_ERRORS[kind]);
  if (rules?.min_length !== undefined && text.length < rules.min_length) {
    return fail(`Please enter at least ${rules.min_length} characters.`);
  }
  if (rules?.max_length !== undefined && text.length > rules.max_length) {
    return fail(`Please enter at most ${rules.max_length} characters.`);
  }
  if (rules?.pattern !== undefined && !new RegExp(rules.pattern).test(text)) return fail(DEFAULT_ERRORS[kind]);

  switch (kind) {
    case 'email':
      if (text.length > 254 || !EMAIL.test(text)) return fail(DEFAULT_ERRORS.email);
      break;
    case 'phone': {
      const digits = text.replace(/[\s().-]/g, '');
      if (!PHONE_DIGITS.test(digits)) return fail(DEFAULT_ERRORS.phone);
      return { ok: true, value: digits };
    }
    case 'otp':
      if (!OTP.test(text)) return fail(DEFAULT_ERRORS.otp);
      break;
    case 'number': {
      if (!NUMBER.test(text)) return fail(DEFAULT_ERRORS.number);
      const value = Number(text.replace(',', '.'));
      const min = resolveNumber(rules?.min, vars);
      const max = resolveNumber(rules?.max, vars);
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) return fail(rangeError(min, max));
      if (rules?.equals !== undefined && text !== rules.equals) return fail(DEFAULT_ERRORS.number);
      // With a pattern the answer is an identifier made of digits (an account number): keep it as typed.
      return { ok: true, value: rules?.pattern !== undefined ? text : value };
    }
    case 'text':
      break;
  }
  if (rules?.equals !== undefined && text !== rules.equals) return fail(DEFAULT_ERRORS[kind]);
  return { ok: true, value: text };
}

const ATTEMPTS_LEFT = /\{\{\s*attempts_left\s*\}\}/g;

/**
 * Fills the variables of a validator's error text: `{{attempts_left}}` is how many more answers
 * the visitor may give before the step's `max_attempts` runs out (empty for a step without one).
 *
 * @example errorText('You have {{attempts_left}} attempt(s) left.', 2) // 'You have 2 attempt(s) left.'
 */
export function errorText(message: string, attemptsLeft: number | undefined): string {
  return message.replace(ATTEMPTS_LEFT, attemptsLeft === undefined ? '' : String(attemptsLeft));
}
