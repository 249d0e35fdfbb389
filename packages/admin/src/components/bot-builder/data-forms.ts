import { html, nothing, type TemplateResult } from 'lit';
import type { FlowProblem } from '@parley/protocol';
import type { FlowDoc } from './edit.js';
import { problemAt, problemsUnder, splitList, stepSelect, valueOf, type StepFormHandlers } from './form-parts.js';

type Step = Record<string, unknown>;

const FIELD_KINDS = ['text', 'email', 'phone', 'number', 'select'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `form`: its fields (name, label, kind, required, a select's choices), submit label and "store as a lead". */
export function formFields(step: Step, h: StepFormHandlers, problems: FlowProblem[]): TemplateResult {
  const fields = Array.isArray(step.fields) ? (step.fields as Step[]) : [];
  const patch = (i: number, change: Step) =>
    h.set('fields', fields.map((f, j) => (j === i ? Object.fromEntries(Object.entries({ ...f, ...change }).filter(([, v]) => v !== undefined)) : f)));
  return html`<fieldset>
      <legend>Fields</legend>
      ${fields.map(
        (f, i) => html`<div class="option form-field">
          <input aria-label="Field ${i + 1} name" placeholder="name (variable)" .value=${String(f.name ?? '')} @input=${(e: Event) => h.set(`fields.${i}.name`, valueOf(e))} />
          <input aria-label="Field ${i + 1} label" placeholder="Label" .value=${String(f.label ?? '')} @input=${(e: Event) => h.set(`fields.${i}.label`, valueOf(e))} />
          <select aria-label="Field ${i + 1} kind" @change=${(e: Event) => {
            const kind = valueOf(e);
            patch(i, { kind, options: kind === 'select' ? (f.options ?? [{ label: 'Yes', value: 'yes' }]) : undefined });
          }}>
            ${FIELD_KINDS.map((k) => html`<option ?selected=${f.kind === k}>${k}</option>`)}
          </select>
          <label class="check"><input type="checkbox" aria-label="Field ${i + 1} required" .checked=${f.required === true} @change=${(e: Event) => patch(i, { required: (e.target as HTMLInputElement).checked || undefined })} /> required</label>
          ${f.kind === 'select'
            ? html`<input aria-label="Field ${i + 1} choices" placeholder="Choices, comma-separated" .value=${Array.isArray(f.options) ? (f.options as Array<{ label: string }>).map((o) => o.label).join(', ') : ''} @change=${(e: Event) => {
                const labels = splitList(valueOf(e));
                patch(i, { options: labels.length ? labels.map((label) => ({ label, value: label })) : undefined });
              }} />`
            : nothing}
          <button type="button" class="danger" aria-label="Remove field ${i + 1}" ?disabled=${fields.length < 2} @click=${() => h.set('fields', fields.filter((_, j) => j !== i))}>×</button>
          ${problemsUnder(problems, `fields.${i}`)}
        </div>`,
      )}
      <button type="button" @click=${() => h.set('fields', [...fields, { name: `field_${fields.length + 1}`, label: `Field ${fields.length + 1}`, kind: 'text' }])}>Add field</button>
      ${problemAt(problems, 'fields')}
    </fieldset>
    <label for="f-submit">Button label</label>
    <input id="f-submit" placeholder="Send" .value=${String(step.submit_label ?? '')} @input=${(e: Event) => h.set('submit_label', valueOf(e))} />
    ${problemAt(problems, 'submit_label')}
    <label class="check"><input id="f-form-lead" type="checkbox" .checked=${step.lead === true} @change=${(e: Event) => h.set('lead', (e.target as HTMLInputElement).checked || undefined)} /> Also store the answers as a lead</label>`;
}

/** Rows of a string record (`headers`, `map`) edited in place; an emptied record is removed. */
function recordRows(step: Step, key: 'headers' | 'map', labels: [string, string], h: StepFormHandlers, extra?: (name: string) => TemplateResult): TemplateResult {
  const entries = Object.entries((step[key] ?? {}) as Record<string, string>);
  const write = (next: Array<[string, string]>) => {
    const record = next.length ? Object.fromEntries(next) : undefined;
    if (key !== 'headers' || !Array.isArray(step.secret_headers)) return h.set(key, record);
    // A renamed or removed header takes its "secret" mark along (by position, as rows are edited in place).
    const was = entries.map(([name]) => name.toLowerCase());
    const secret = (step.secret_headers as string[]).flatMap((name) => {
      const at = was.indexOf(name.toLowerCase());
      const now = next.length === entries.length ? next[at]?.[0] : next.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[0];
      return at >= 0 && now ? [now] : at < 0 ? [name] : [];
    });
    const out: Step = { ...step, headers: record, secret_headers: secret.length ? secret : undefined };
    h.replace(Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)));
  };
  return html`${entries.map(
      ([name, value], i) => html`<div class="option">
        <input aria-label="${labels[0]} ${i + 1}" placeholder=${labels[0]} .value=${name} @change=${(e: Event) => write(entries.map((en, j) => (j === i ? [valueOf(e).trim(), en[1]] : en)))} />
        <input aria-label="${labels[1]} ${i + 1}" placeholder=${labels[1]} .value=${value} @input=${(e: Event) => write(entries.map((en, j) => (j === i ? [en[0], valueOf(e)] : en)))} />
        ${extra ? extra(name) : nothing}
        <button type="button" class="danger" aria-label="Remove ${labels[0]} ${i + 1}" @click=${() => write(entries.filter((_, j) => j !== i))}>×</button>
      </div>`,
    )}
    <button type="button" @click=${() => {
      const base = key === 'headers' ? 'X-Header-' : 'var_';
      let n = entries.length + 1;
      while (entries.some(([k]) => k === `${base}${n}`)) n++;
      write([...entries, [`${base}${n}`, '']]);
    }}>Add ${key === 'headers' ? 'header' : 'variable'}</button>`;
}

/** `http`: method, URL, headers (each may be secret), body, timeout, the answer's mapping and where an error goes. */
export function httpFields(doc: FlowDoc, step: Step, h: StepFormHandlers, problems: FlowProblem[]): TemplateResult {
  const secret = Array.isArray(step.secret_headers) ? (step.secret_headers as string[]) : [];
  const toggleSecret = (name: string, on: boolean) => {
    const next = on ? [...secret, name] : secret.filter((s) => s.toLowerCase() !== name.toLowerCase());
    h.set('secret_headers', next.length ? next : undefined);
  };
  return html`<label for="f-method">Method</label>
    <select id="f-method" @change=${(e: Event) => h.set('method', valueOf(e))}>
      ${METHODS.map((m) => html`<option ?selected=${step.method === m}>${m}</option>`)}
    </select>
    ${problemAt(problems, 'method')}
    <label for="f-url">URL ({{variables}} are filled in, URL-encoded)</label>
    <input id="f-url" .value=${String(step.url ?? '')} @input=${(e: Event) => h.set('url', valueOf(e))} />
    ${problemAt(problems, 'url')}
    <fieldset>
      <legend>Headers</legend>
      ${recordRows(step, 'headers', ['Header', 'Value'], h, (name) => html`<label class="check"><input type="checkbox" aria-label="Header ${name} is secret" .checked=${secret.some((s) => s.toLowerCase() === name.toLowerCase())} @change=${(e: Event) => toggleSecret(name, (e.target as HTMLInputElement).checked)} /> secret (sealed, never shown again)</label>`)}
      ${problemsUnder(problems, 'headers')} ${problemsUnder(problems, 'secret_headers')}
    </fieldset>
    ${step.method !== 'GET' || step.body !== undefined
      ? html`<label for="f-body">Body (JSON, {{variables}} where values go)</label>
          <textarea id="f-body" class="json" rows="4" .value=${String(step.body ?? '')} @input=${(e: Event) => h.set('body', valueOf(e))}></textarea>
          ${problemAt(problems, 'body')}`
      : nothing}
    <label for="f-timeout">Timeout (ms, 100 to 15000)</label>
    <input id="f-timeout" type="number" min="100" max="15000" .value=${String(step.timeout_ms ?? '')} @input=${(e: Event) => {
      const n = Math.trunc(Number(valueOf(e)));
      h.set('timeout_ms', n > 0 ? n : undefined);
    }} />
    ${problemAt(problems, 'timeout_ms')}
    <fieldset>
      <legend>Answer into variables (variable ← dotted path)</legend>
      ${recordRows(step, 'map', ['Variable', 'Path'], h)} ${problemsUnder(problems, 'map')}
    </fieldset>
    ${problemsUnder(problems, 'products')}
    <label>On error go to</label>
    ${stepSelect(doc, step.on_error, (to) => h.set('on_error', to || undefined), 'On error go to', '(end quietly)')} ${problemAt(problems, 'on_error')}`;
}
