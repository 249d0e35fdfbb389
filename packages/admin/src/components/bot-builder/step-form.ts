import { html, nothing, type TemplateResult } from 'lit';
import type { FlowProblem } from '@parley/protocol';
import { exitsOf, type FlowDoc } from './edit.js';
import { problemAt, stepSelect, wasShown, type StepFormHandlers } from './form-parts.js';
import { branchFields, leadFields, setFields } from './logic-forms.js';
import { formFields, httpFields } from './data-forms.js';

export type { StepFormHandlers } from './form-parts.js';

/** Step types whose form has a text with formatting and `{{variable}}` insertion. */
const TEXT_TYPES = new Set(['say', 'choice', 'input', 'products', 'upload', 'end', 'handoff', 'ai', 'product_card', 'form', 'lead']);

function textField(step: Record<string, unknown>, field: string, label: string, h: StepFormHandlers, problems: FlowProblem[], vars: string[], multiline = true): TemplateResult {
  const value = typeof step[field] === 'string' ? (step[field] as string) : '';
  const insert = (snippet: string, target: HTMLTextAreaElement | null) => {
    if (!target) return;
    const { selectionStart: a, selectionEnd: b } = target;
    h.set(field, value.slice(0, a) + snippet.replace('$', value.slice(a, b)) + value.slice(b));
  };
  const id = `f-${field}`;
  return html`<label for=${id}>${label}</label>
    ${multiline
      ? html`<div class="toolbar" role="toolbar" aria-label="Formatting">
          <button type="button" title="Bold" @click=${(e: Event) => insert('<b>$</b>', (e.currentTarget as HTMLElement).parentElement!.nextElementSibling as HTMLTextAreaElement)}><b>B</b></button>
          <button type="button" title="Italic" @click=${(e: Event) => insert('<i>$</i>', (e.currentTarget as HTMLElement).parentElement!.nextElementSibling as HTMLTextAreaElement)}><i>I</i></button>
          <button type="button" title="Link" @click=${(e: Event) => insert('<a href="https://">$</a>', (e.currentTarget as HTMLElement).parentElement!.nextElementSibling as HTMLTextAreaElement)}>Link</button>
          <select aria-label="Insert a variable" @change=${(e: Event) => {
            const select = e.target as HTMLSelectElement;
            if (select.value) insert(`{{${select.value}}}`, select.parentElement!.nextElementSibling as HTMLTextAreaElement);
            select.value = '';
          }}>
            <option value="">{{variable}}</option>
            ${vars.map((v) => html`<option value=${v}>${v}</option>`)}
          </select>
        </div>
        <textarea id=${id} name=${field} rows="3" .value=${value} @input=${(e: Event) => h.set(field, (e.target as HTMLTextAreaElement).value)}></textarea>`
      : html`<input id=${id} name=${field} .value=${value} @input=${(e: Event) => h.set(field, (e.target as HTMLInputElement).value)} />`}
    ${problemAt(problems, field)}`;
}

function options(doc: FlowDoc, step: Record<string, unknown>, h: StepFormHandlers, problems: FlowProblem[]): TemplateResult {
  const list = Array.isArray(step.options) ? (step.options as Array<Record<string, unknown>>) : [];
  return html`<fieldset>
    <legend>Options</legend>
    ${list.map(
      (o, i) => html`<div class="option">
        <input aria-label="Option ${i + 1} label" .value=${String(o.label ?? '')} @input=${(e: Event) => h.set(`options.${i}.label`, (e.target as HTMLInputElement).value)} />
        <input aria-label="Option ${i + 1} value" .value=${String(o.value ?? '')} @input=${(e: Event) => h.set(`options.${i}.value`, (e.target as HTMLInputElement).value)} />
        ${stepSelect(doc, o.next, (to) => h.set(`options.${i}.next`, to || undefined), `Option ${i + 1} goes to`, '(step next)')}
        <button type="button" class="danger" aria-label="Remove option ${i + 1}" @click=${() => h.set('options', list.filter((_, j) => j !== i))}>×</button>
        ${problemAt(problems, `options.${i}.next`)} ${problemAt(problems, `options.${i}.label`)} ${problemAt(problems, `options.${i}.value`)}
      </div>`,
    )}
    <button type="button" @click=${() => h.set('options', [...list, { label: `Option ${list.length + 1}`, value: `option_${list.length + 1}` }])}>Add option</button>
    ${problemAt(problems, 'options')}
  </fieldset>`;
}

function inputFields(doc: FlowDoc, step: Record<string, unknown>, h: StepFormHandlers, problems: FlowProblem[]): TemplateResult {
  const validate = (step.validate ?? {}) as Record<string, unknown>;
  return html`<label for="f-kind">Kind</label>
    <select id="f-kind" @change=${(e: Event) => h.set('kind', (e.target as HTMLSelectElement).value)}>
      ${['text', 'email', 'phone', 'number', 'otp'].map((k) => html`<option ?selected=${step.kind === k}>${k}</option>`)}
    </select>
    <label for="f-pattern">Must match (regular expression)</label>
    <input id="f-pattern" .value=${String(validate.pattern ?? '')} @input=${(e: Event) => h.set('validate.pattern', (e.target as HTMLInputElement).value)} />
    ${problemAt(problems, 'validate.pattern')}
    <label for="f-error">Message for a wrong answer</label>
    <input id="f-error" .value=${String(step.error ?? '')} @input=${(e: Event) => h.set('error', (e.target as HTMLInputElement).value)} />
    <label for="f-attempts">Attempts before giving up</label>
    <input id="f-attempts" type="number" min="1" max="100" .value=${String(step.max_attempts ?? '')} @input=${(e: Event) => {
      const n = Number((e.target as HTMLInputElement).value);
      h.set('max_attempts', n > 0 ? n : undefined);
    }} />
    <label>When attempts are used up, go to</label>
    ${stepSelect(doc, step.on_fail, (to) => h.set('on_fail', to || undefined), 'When attempts are used up, go to')}
    ${problemAt(problems, 'on_fail')}`;
}

function productsFields(doc: FlowDoc, step: Record<string, unknown>, h: StepFormHandlers, problems: FlowProblem[]): TemplateResult {
  const items = Array.isArray(step.items) ? (step.items as string[]) : undefined;
  const catalog = (doc.catalog ?? []).filter((p) => p.id);
  return html`<fieldset>
    <legend>Products shown</legend>
    ${catalog.length
      ? catalog.map(
          (p) => html`<label class="check"><input type="checkbox" .checked=${!items || items.includes(p.id!)} @change=${(e: Event) => {
            const on = (e.target as HTMLInputElement).checked;
            const all = catalog.map((c) => c.id!);
            const now = (items ?? all).filter((id) => id !== p.id).concat(on ? [p.id!] : []);
            h.set('items', now.length === all.length ? undefined : all.filter((id) => now.includes(id)));
          }} /> ${p.name}</label>`,
        )
      : html`<p class="hint">Every catalog product (give products an id to pick some).</p>`}
    ${problemAt(problems, 'items')} ${items ? items.map((_, i) => problemAt(problems, `items.${i}`)) : nothing}
  </fieldset>`;
}

/** The side panel's form for one step: fields by type, each with its problems beneath it. */
export function renderStepForm(doc: FlowDoc, id: string, problems: FlowProblem[], vars: string[], h: StepFormHandlers): TemplateResult {
  const step = doc.steps[id]!;
  const type = String(step.type);
  const hasNext = !['end', 'branch'].includes(type) && type !== 'choice';
  const fields = html`<h2><span class="type">${type}</span> step</h2>
    <label for="f-id">Name</label>
    <input id="f-id" .value=${id} pattern="[A-Za-z0-9_.\\-]{1,64}" @change=${(e: Event) => h.rename((e.target as HTMLInputElement).value.trim())} />
    ${problemAt(problems, '')}
    ${TEXT_TYPES.has(type) ? textField(step, 'text', 'Text', h, problems, vars) : nothing}
    ${['choice', 'input', 'products', 'product_card', 'upload', 'ai'].includes(type)
      ? html`<label for="f-var">Store the answer in the variable</label>
          <input id="f-var" .value=${String(step.var ?? '')} @input=${(e: Event) => h.set('var', (e.target as HTMLInputElement).value)} />
          ${problemAt(problems, 'var')}`
      : nothing}
    ${type === 'choice' ? options(doc, step, h, problems) : nothing} ${type === 'input' ? inputFields(doc, step, h, problems) : nothing}
    ${type === 'products' ? productsFields(doc, step, h, problems) : nothing}
    ${type === 'ai' ? textField(step, 'instructions', 'Instructions for the AI', h, problems, vars) : nothing}
    ${type === 'branch' ? branchFields(doc, step, h, problems) : nothing} ${type === 'set' ? setFields(step, h, problems) : nothing}
    ${type === 'lead' ? leadFields(step, vars, h, problems) : nothing} ${type === 'form' ? formFields(step, h, problems) : nothing}
    ${type === 'http' ? httpFields(doc, step, h, problems) : nothing}
    ${hasNext || type === 'choice'
      ? html`<label>${type === 'choice' ? 'Options without their own step go to' : 'Then go to'}</label>
          ${stepSelect(doc, step.next, (to) => h.set('next', to || undefined), 'Then go to')} ${problemAt(problems, 'next')}`
      : nothing}`;
  // Problems not pinned under a field above (a field only the JSON editor reaches) are listed once.
  const leftover = problems.filter((p) => !wasShown(p));
  const exits = exitsOf(step);
  return html`<form class="step-form" @submit=${(e: Event) => e.preventDefault()} aria-label="Step ${id}">
    <datalist id="f-vars">${vars.map((v) => html`<option value=${v}></option>`)}</datalist>
    ${fields}
    ${leftover.length ? html`<div class="other-problems">${leftover.map((p) => html`<span class="field-problem" role="alert">${p.field}: ${p.message}</span>`)}</div>` : nothing}
    <details class="advanced">
      <summary>Advanced (JSON)</summary>
      <textarea id="f-json" class="json" rows="12" aria-label="Step (JSON)" .value=${JSON.stringify(step, null, 2)} @change=${(e: Event) => {
        const area = e.target as HTMLTextAreaElement;
        try {
          const parsed = JSON.parse(area.value) as unknown;
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) h.replace(parsed as Record<string, unknown>);
          area.setCustomValidity('');
        } catch {
          area.setCustomValidity('Not valid JSON');
          area.reportValidity();
        }
      }}></textarea>
    </details>
    <div class="actions">
      ${exits.length
        ? html`<span class="connect">
            <select aria-label="Exit to connect" ?hidden=${exits.length < 2}>
              ${exits.map(([field, label]) => html`<option value=${field}>${label}</option>`)}
            </select>
            <button type="button" title="Then click the step it leads to" @click=${(e: Event) => {
              const pick = (e.currentTarget as HTMLElement).previousElementSibling as HTMLSelectElement;
              h.action('connect', pick.value || exits[0]![0]);
            }}>Connect…</button>
          </span>`
        : nothing}
      <button type="button" @click=${() => h.action('duplicate')}>Duplicate</button>
      <button type="button" @click=${() => h.action('start')} ?disabled=${doc.start === id}>Make it the start</button>
      <button type="button" @click=${() => h.action('try')}>Try from here</button>
      <button type="button" class="danger" @click=${() => h.action('delete')}>Delete</button>
    </div>
  </form>`;
}
