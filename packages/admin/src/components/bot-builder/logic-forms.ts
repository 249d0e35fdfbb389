import { html, type TemplateResult } from 'lit';
import type { FlowProblem } from '@parley/protocol';
import type { FlowDoc } from './edit.js';
import { problemAt, problemsUnder, splitList, stepSelect, valueOf, type StepFormHandlers } from './form-parts.js';

type Step = Record<string, unknown>;

/** The tests a branch case can make on its variable, in the order the dropdown lists them. */
export const OPERATORS = [
  ['equals', 'equals'],
  ['not_equals', 'is not'],
  ['in', 'is one of (a, b, …)'],
  ['gt', 'is more than'],
  ['lt', 'is less than'],
  ['exists', 'is set'],
] as const;
export type Operator = (typeof OPERATORS)[number][0];

/** The operator of a condition (the first test it holds) and its value as the form shows it. */
export function readCondition(when: Step): { var: string; op: Operator; value: string } {
  const op = OPERATORS.map(([k]) => k).find((k) => k in when) ?? 'equals';
  const raw = when[op];
  const value = Array.isArray(raw) ? raw.join(', ') : op === 'exists' ? (raw === false ? 'no' : 'yes') : raw === undefined ? '' : String(raw);
  return { var: typeof when.var === 'string' ? when.var : '', op, value };
}

/** A condition from what the form shows: numbers for `gt`/`lt`, a list for `in`, yes/no for `exists`. */
export function writeCondition(variable: string, op: Operator, value: string): Step {
  const typed =
    op === 'gt' || op === 'lt'
      ? Number(value) || 0
      : op === 'in'
        ? splitList(value)
        : op === 'exists'
          ? value !== 'no'
          : value;
  return { var: variable, [op]: typed };
}

/** `branch`: its cases (variable, test, value, where it goes) and where it goes otherwise. */
export function branchFields(doc: FlowDoc, step: Step, h: StepFormHandlers, problems: FlowProblem[]): TemplateResult {
  const cases = Array.isArray(step.cases) ? (step.cases as Step[]) : [];
  const setCase = (i: number, variable: string, op: Operator, value: string) => h.set(`cases.${i}.when`, writeCondition(variable, op, value));
  return html`<fieldset>
      <legend>Cases (the first that holds wins)</legend>
      ${cases.map((c, i) => {
        const when = readCondition((c.when ?? {}) as Step);
        return html`<div class="option case">
          <input aria-label="Case ${i + 1} variable" placeholder="variable" list="f-vars" .value=${when.var} @input=${(e: Event) => setCase(i, valueOf(e), when.op, when.value)} />
          <select aria-label="Case ${i + 1} test" @change=${(e: Event) => setCase(i, when.var, valueOf(e) as Operator, when.value)}>
            ${OPERATORS.map(([k, label]) => html`<option value=${k} ?selected=${k === when.op}>${label}</option>`)}
          </select>
          ${when.op === 'exists'
            ? html`<select aria-label="Case ${i + 1} value" @change=${(e: Event) => setCase(i, when.var, 'exists', valueOf(e))}>
                <option value="yes" ?selected=${when.value === 'yes'}>yes</option>
                <option value="no" ?selected=${when.value === 'no'}>no</option>
              </select>`
            : html`<input aria-label="Case ${i + 1} value" type=${when.op === 'gt' || when.op === 'lt' ? 'number' : 'text'} .value=${when.value} @input=${(e: Event) => setCase(i, when.var, when.op, valueOf(e))} />`}
          ${stepSelect(doc, c.next, (to) => h.set(`cases.${i}.next`, to || undefined), `Case ${i + 1} goes to`)}
          <button type="button" class="danger" aria-label="Remove case ${i + 1}" ?disabled=${cases.length < 2} @click=${() => h.set('cases', cases.filter((_, j) => j !== i))}>×</button>
          ${problemsUnder(problems, `cases.${i}`)}
        </div>`;
      })}
      <button type="button" @click=${() => h.set('cases', [...cases, { when: { var: 'answer', equals: '' }, next: typeof step.else === 'string' ? step.else : '' }])}>Add case</button>
      ${problemAt(problems, 'cases')}
    </fieldset>
    <label>Else go to</label>
    ${stepSelect(doc, step.else, (to) => h.set('else', to || undefined), 'Else go to')} ${problemAt(problems, 'else')}`;
}

/** `set`: the variable and either a value (with `{{variables}}`) or a generated ticket reference or id. */
export function setFields(step: Step, h: StepFormHandlers, problems: FlowProblem[]): TemplateResult {
  const mode = typeof step.generate === 'string' ? step.generate : 'value';
  return html`<label for="f-var">Variable</label>
    <input id="f-var" list="f-vars" .value=${String(step.var ?? '')} @input=${(e: Event) => h.set('var', valueOf(e))} />
    ${problemAt(problems, 'var')}
    <label for="f-set-mode">Set it to</label>
    <select id="f-set-mode" @change=${(e: Event) => {
      const to = valueOf(e);
      h.replace({ ...Object.fromEntries(Object.entries(step).filter(([k]) => k !== 'value' && k !== 'generate')), ...(to === 'value' ? { value: '' } : { generate: to }) });
    }}>
      <option value="value" ?selected=${mode === 'value'}>a value</option>
      <option value="ticket" ?selected=${mode === 'ticket'}>a new ticket reference</option>
      <option value="uuid" ?selected=${mode === 'uuid'}>a new unique id</option>
    </select>
    ${mode === 'value'
      ? html`<label for="f-value">Value ({{variables}} are filled in)</label>
          <input id="f-value" .value=${String(step.value ?? '')} @input=${(e: Event) => (valueOf(e) ? h.set('value', valueOf(e)) : h.replace({ ...step, value: '' }))} />`
      : ''}
    ${problemAt(problems, 'value')} ${problemAt(problems, 'generate')}`;
}

/** `lead`: the variables stored as the lead (pick known ones or type names). */
export function leadFields(step: Step, vars: string[], h: StepFormHandlers, problems: FlowProblem[]): TemplateResult {
  const fields = Array.isArray(step.fields) ? (step.fields as string[]) : [];
  const toggle = (name: string, on: boolean) => h.set('fields', on ? [...fields, name] : fields.filter((f) => f !== name));
  return html`<fieldset>
    <legend>Stored as the lead</legend>
    ${vars.map((v) => html`<label class="check"><input type="checkbox" .checked=${fields.includes(v)} @change=${(e: Event) => toggle(v, (e.target as HTMLInputElement).checked)} /> ${v}</label>`)}
    <label for="f-lead-fields">Variables (comma-separated)</label>
    <input id="f-lead-fields" .value=${fields.join(', ')} @change=${(e: Event) => h.set('fields', splitList(valueOf(e)))} />
    ${problemsUnder(problems, 'fields')}
  </fieldset>`;
}
