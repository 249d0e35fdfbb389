import type { Component, FormField, FormStepField, FormValues } from '@parley/protocol';
import { escapeHtml } from '@parley/protocol';
import { interpolateRaw, resolveNumber, type FlowVars } from './interpolate.js';
import { checkInput } from './validators.js';

/** A `form` step as the engine sees it. */
export interface FormStepLike {
  fields: FormStepField[];
  submit_label?: string | undefined;
}

/** The outcome of checking a submitted form: the values to store, and what was wrong, by field. */
export interface FormCheck {
  /** Valid values, converted (a phone's digits, a number), by field name; empty optional fields are left out. */
  values: Record<string, string | number>;
  /** The message for each invalid field, by field name, in the form's order. */
  errors: Map<string, string>;
}

function required(field: FormStepField): string {
  return field.error ?? `Please fill in ${field.label.toLowerCase()}.`;
}

/**
 * Checks every submitted value with its field's rules (the same checks an `input` step of that
 * kind makes; a `select` must be one of its options). Keys the form does not have are ignored.
 */
export function checkForm(fields: readonly FormStepField[], submitted: FormValues, vars: FlowVars): FormCheck {
  const values: Record<string, string | number> = {};
  const errors = new Map<string, string>();
  for (const field of fields) {
    const raw = Object.hasOwn(submitted, field.name) ? (submitted[field.name] ?? '') : '';
    if (raw.trim() === '') {
      if (field.required) errors.set(field.name, required(field));
      continue;
    }
    if (field.kind === 'select') {
      const answer = raw.trim().toLowerCase();
      const option = field.options?.find((o) => o.value.toLowerCase() === answer || o.label.toLowerCase() === answer);
      if (option) values[field.name] = option.value;
      else errors.set(field.name, field.error ?? 'Please pick one of the options.');
      continue;
    }
    const result = checkInput(field.kind, raw, field.validate, vars, field.error);
    if (result.ok) values[field.name] = result.value;
    else errors.set(field.name, result.error);
  }
  return { values, errors };
}

/**
 * The `form` component of a step: each field with the rules a client can check early, the value
 * kept from an earlier try, and the field's error from that try.
 */
export function formComponent(id: string, step: FormStepLike, vars: FlowVars, kept: FormValues = {}, errors: Map<string, string> = new Map()): Component {
  const fields: FormField[] = step.fields.map((f) => {
    const rules = f.validate;
    const min = resolveNumber(rules?.min, vars);
    const max = resolveNumber(rules?.max, vars);
    const value = Object.hasOwn(kept, f.name) ? kept[f.name] : undefined;
    const error = errors.get(f.name);
    return {
      name: f.name,
      label: f.label,
      kind: f.kind,
      ...(f.required ? { required: true } : {}),
      ...(f.placeholder ? { placeholder: interpolateRaw(f.placeholder, vars) } : {}),
      ...(f.options ? { options: f.options.map(({ label, value }) => ({ label, value })) } : {}),
      ...(rules?.pattern !== undefined ? { pattern: rules.pattern } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      ...(rules?.min_length !== undefined ? { min_length: rules.min_length } : {}),
      ...(rules?.max_length !== undefined ? { max_length: rules.max_length } : {}),
      ...(value !== undefined && value !== '' ? { value } : {}),
      ...(error ? { error } : {}),
    };
  });
  return { type: 'form', payload: { id, fields, submit_label: step.submit_label ?? 'Send' } };
}

/**
 * How the visitor's submission shows in the conversation: one line per filled field,
 * `<b>Label</b>: value`, escaped.
 */
export function formSummary(fields: readonly FormStepField[], submitted: FormValues): Component[] {
  const lines = fields
    .filter((f) => Object.hasOwn(submitted, f.name) && (submitted[f.name] ?? '').trim() !== '')
    .map((f) => {
      const raw = submitted[f.name]!.trim();
      const answer = raw.toLowerCase();
      const shown = f.kind === 'select' ? (f.options?.find((o) => o.value.toLowerCase() === answer || o.label.toLowerCase() === answer)?.label ?? raw) : raw;
      return `<b>${escapeHtml(f.label)}</b>: ${escapeHtml(shown)}`;
    });
  return [{ type: 'text', payload: { text: lines.length ? lines.join('<br>') : escapeHtml('(empty form)') } }];
}

/** The plain-text form of a submission, when the form no longer applies (shown as the visitor's message). */
export function valuesSummary(submitted: FormValues): Component[] {
  const lines = Object.entries(submitted)
    .filter(([, v]) => v.trim() !== '')
    .map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(v.trim())}`);
  return [{ type: 'text', payload: { text: lines.length ? lines.join('<br>') : escapeHtml('(empty form)') } }];
}
