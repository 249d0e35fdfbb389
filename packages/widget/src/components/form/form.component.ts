import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { FormComponent, FormField } from '../../protocol.js';
import { ParleyFormEvent } from '../../events/parley-form.js';
import { buttonStyles, tokens } from '../../styles/tokens.js';
import { hintsFor } from '../composer/hints.js';
import { styles } from './form.styles.js';

const escape = (text: string) => text.replace(/[&<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * A `form` component: labelled fields (text, email, phone, number, a list to pick from) and a
 * submit button. The browser checks the field rules first (required, pattern, range, length);
 * the server checks them again and sends the form back with each wrong field's message.
 *
 * @fires parley-form - With the form's id and the values by field name.
 * @csspart form - The form.
 * @csspart field - A label with its input and its message.
 * @csspart label - A field's label.
 * @csspart input - An input or select.
 * @csspart field-error - What was wrong with a field.
 * @csspart submit - The submit button.
 * @cssprop --parley-error - The wrong fields' border and message.
 */
export class ParleyForm extends LitElement {
  static override styles = [tokens, buttonStyles, styles];
  static override properties = { form: { attribute: false }, disabled: { type: Boolean, reflect: true } };

  /** The component's payload: id, fields and submit label. */
  declare form: FormComponent['payload'] | undefined;
  /** Set once the conversation moved on, or the form was sent. */
  declare disabled: boolean;

  constructor() {
    super();
    this.disabled = false;
  }

  override updated(changed: PropertyValues<this>): void {
    // A select shows the value kept from an earlier try (set once its options exist).
    if (changed.has('form')) for (const f of this.form?.fields ?? []) if (f.kind === 'select' && f.value) this.renderRoot.querySelector<HTMLSelectElement>(`[name=${f.name}]`)!.value = f.value;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = this.form;
    const element = event.target as HTMLFormElement;
    if (this.disabled || !form || !element.reportValidity()) return;
    const data = new FormData(element);
    const values: Record<string, string> = {};
    const lines: string[] = [];
    for (const f of form.fields) {
      const value = String(data.get(f.name) ?? '').trim();
      values[f.name] = value;
      const shown = f.options?.find((o) => o.value === value)?.label ?? value;
      if (value) lines.push(`<b>${escape(f.label)}</b>: ${escape(shown)}`);
    }
    this.disabled = true;
    this.dispatchEvent(new ParleyFormEvent(form.id, values, [{ type: 'text', payload: { text: lines.join('<br>') } }]));
  }

  private field(f: FormField, i: number) {
    const id = `f${i}`;
    const invalid = f.error ? 'true' : 'false';
    const control =
      f.kind === 'select'
        ? html`<select part="input" id=${id} name=${f.name} ?required=${f.required} ?disabled=${this.disabled} aria-invalid=${invalid} aria-describedby=${id + 'e'}>
            <option value=""></option>
            ${f.options?.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
          </select>`
        : html`<input
            part="input"
            id=${id}
            name=${f.name}
            .value=${f.value ?? ''}
            type=${f.kind === 'number' ? 'number' : hintsFor(f.kind).type}
            step="any"
            inputmode=${hintsFor(f.kind).inputmode}
            autocomplete=${f.kind === 'text' && /name/i.test(f.name) ? 'name' : hintsFor(f.kind).autocomplete}
            placeholder=${f.placeholder ?? ''}
            pattern=${f.pattern ?? nothing}
            min=${f.min ?? nothing}
            max=${f.max ?? nothing}
            minlength=${f.min_length ?? nothing}
            maxlength=${f.max_length ?? nothing}
            ?required=${f.required}
            ?disabled=${this.disabled}
            aria-invalid=${invalid}
            aria-describedby=${id + 'e'}
          />`;
    return html`<label part="field" for=${id}>
      <span part="label">${f.label}${f.required ? html`<span aria-hidden="true"> *</span>` : nothing}</span>
      ${control}${f.error ? html`<span part="field-error" id=${id + 'e'}>${f.error}</span>` : nothing}
    </label>`;
  }

  override render() {
    const form = this.form;
    if (!form) return nothing;
    return html`<form part="form" @submit=${this.submit}>
      ${form.fields.map((f, i) => this.field(f, i))}
      <button part="submit" class="btn" ?disabled=${this.disabled}>${form.submit_label}</button>
    </form>`;
  }
}
