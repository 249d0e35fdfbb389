import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { sanitizeLightHtml, type Component } from '@parley/protocol';
import { money } from '../../lib/format.js';
import { icons } from '../../lib/icons.js';
import { styles } from './component-view.styles.js';

const INPUT_LABELS: Record<string, string> = { text: 'text', email: 'an email address', phone: 'a phone number', number: 'a number', otp: 'a one-time code' };

/**
 * One message component, read-only, as the agent sees what the visitor saw: text (light HTML,
 * sanitized again before it reaches the DOM), buttons, a product carousel, the selected product,
 * an error, an image, a file request, or the composer hint. Unknown types show their type name.
 *
 * @csspart text - light HTML text
 * @csspart buttons - the group of button labels; `button` each one
 * @csspart carousel - the product row; `product` each product
 * @csspart card - the selected product card
 * @csspart alert - an error component
 * @csspart image - an image
 * @csspart file-request - a request for a file
 * @csspart hint - the input hint (what the bot expects next)
 * @csspart form - a form's fields, with the values the visitor entered
 * @csspart article - a help article the bot answered with (title linking to the help center, excerpt)
 * @cssprop --parley-accent - button outline colour
 * @cssprop --parley-danger - error colour
 */
export class ParleyComponentView extends LitElement {
  static override styles = styles;

  /** The component to show. */
  declare component: Component | undefined;

  static override properties = { component: { attribute: false } };

  override render(): TemplateResult | typeof nothing {
    const c = this.component;
    if (!c) return nothing;
    switch (c.type) {
      case 'text':
        return html`<div part="text">${unsafeHTML(sanitizeLightHtml(c.payload.text))}</div>`;
      case 'button_options':
        return html`<div part="buttons" role="group" aria-label="Buttons offered">
          ${c.payload.options.map((o) => html`<span part="button" title=${`sends “${o.value}”`}>${o.label}</span>`)}
        </div>`;
      case 'product_carousel':
        return html`<div part="carousel" role="list" aria-label="Products offered">
          ${c.payload.products.map(
            (p) => html`<div part="product" role="listitem">
              ${p.image ? html`<img src=${p.image} alt="" loading="lazy" />` : nothing}
              <span class="label">${p.index}. ${p.name}</span>
              <span class="muted">${money(p.price, p.currency)} · qty ${p.quantity}</span>
            </div>`,
          )}
        </div>`;
      case 'selected_product_card': {
        const p = c.payload.product;
        return html`<div part="card" aria-label="Selected product">
          <span class="label">${p.name}</span><span class="label">${money(p.total_price, p.currency)}</span>
          <span class="muted">${p.quantity} × ${money(p.price, p.currency)}</span>
        </div>`;
      }
      case 'error':
        return html`<div part="alert" role="note">${c.payload.text}</div>`;
      case 'image':
        return html`<img part="image" src=${c.payload.url} alt=${c.payload.alt} loading="lazy" />`;
      case 'file_request':
        return html`<div part="file-request" title=${`Accepts ${c.payload.accept || 'any file'}, up to ${Math.round(c.payload.max_bytes / 1024)} KB`}>
          ${icons.clip} <span class="label">File requested:</span> ${c.payload.prompt}
        </div>`;
      case 'article':
        return html`<div part="article" aria-label="Help article">
          <a class="label" href=${c.payload.url} target="_blank" rel="noopener noreferrer">${c.payload.title}</a>
          ${c.payload.excerpt ? html`<span class="muted">${c.payload.excerpt}</span>` : nothing}
        </div>`;
      case 'input':
        return html`<div part="hint">Bot expects ${INPUT_LABELS[c.payload.kind] ?? c.payload.kind}${c.payload.placeholder ? html` (“${c.payload.placeholder}”)` : nothing}</div>`;
      default:
        return renderOther(c as unknown as { type: string; payload?: unknown });
    }
  }
}

interface FormFieldLike {
  name: string;
  label: string;
  kind?: string;
  value?: string;
  error?: string;
  options?: Array<{ label: string; value: string }>;
}

/**
 * Components newer than this dashboard: a form (fields with what the visitor entered and any
 * error) is shown read-only; anything else by its type name.
 */
function renderOther(c: { type: string; payload?: unknown }): TemplateResult {
  const fields = (c.payload as { fields?: unknown } | undefined)?.fields;
  if (c.type === 'form' && Array.isArray(fields)) {
    return html`<div part="form" role="group" aria-label="Form">
      ${(fields as FormFieldLike[]).map((f) => {
        const picked = f.options?.find((o) => o.value === f.value)?.label ?? f.value;
        return html`<div class="field">
          <span class="muted">${f.label}</span>
          <span>${picked ? picked : html`<span class="muted">—</span>`}</span>
          ${f.error ? html`<span class="field-error">${f.error}</span>` : nothing}
        </div>`;
      })}
    </div>`;
  }
  return html`<div part="hint">[${c.type}]</div>`;
}
