import { html, nothing, type TemplateResult } from 'lit';
import type { FlowProblem } from '@parley/protocol';
import type { FlowDoc } from './edit.js';

/** What the side panel reports back to the builder. */
export interface StepFormHandlers {
  /** A field changed (`key` groups keystrokes into one undo step). */
  set: (field: string, value: unknown) => void;
  rename: (to: string) => void;
  /** Replaces the whole step (the "Advanced (JSON)" editor). */
  replace: (step: Record<string, unknown>) => void;
  /** A step action; `connect` names the exit (`next`, `options.1.next`, `on_fail`...) to connect. */
  action: (kind: 'duplicate' | 'delete' | 'start' | 'connect' | 'try', field?: string) => void;
}

/** Problems already shown under a field, so the form can list the others once at its end. */
const shown = new WeakSet<FlowProblem>();

/** True when `problem` has been shown under a field in this render. */
export const wasShown = (problem: FlowProblem): boolean => shown.has(problem);

const pin = (list: FlowProblem[], label: (p: FlowProblem) => string) =>
  list.map((p) => {
    shown.add(p);
    return html`<span class="field-problem" role="alert">${label(p)}</span>`;
  });

/** The problems of exactly `field`, as alerts under it. */
export const problemAt = (problems: FlowProblem[], field: string) =>
  pin(problems.filter((p) => p.field === field), (p) => p.message);

/** The problems of `prefix` and anything inside it (`cases.0` covers `cases.0.when.var`), with the inner path. */
export const problemsUnder = (problems: FlowProblem[], prefix: string) =>
  pin(problems.filter((p) => p.field === prefix || p.field.startsWith(`${prefix}.`)), (p) =>
    p.field === prefix ? p.message : `${p.field.slice(prefix.length + 1)}: ${p.message}`,
  );

/** A dropdown of the flow's steps (a missing target stays listed, marked). */
export function stepSelect(doc: FlowDoc, value: unknown, onPick: (to: string) => void, label: string, none = '(none)'): TemplateResult {
  const current = typeof value === 'string' ? value : '';
  const ids = Object.keys(doc.steps);
  return html`<select aria-label=${label} @change=${(e: Event) => onPick((e.target as HTMLSelectElement).value)}>
    <option value="" ?selected=${current === ''}>${none}</option>
    ${current && !ids.includes(current) ? html`<option value=${current} selected>${current} (missing)</option>` : nothing}
    ${ids.map((id) => html`<option value=${id} ?selected=${id === current}>${id}</option>`)}
  </select>`;
}

/** The value of an `<input>`/`<select>`/`<textarea>` event target. */
export const valueOf = (e: Event): string => (e.target as HTMLInputElement).value;

/** A comma-separated list as a clean array (empty items dropped). */
export const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
