import { html, type TemplateResult } from 'lit';
import type { CatalogProduct, FlowProblem } from '@parley/protocol';
import type { FlowDoc } from './edit.js';

/** A price as visitors see it, in the catalog's currency. */
export function formatMoney(value: number, currency: string | undefined, locale?: string): string {
  try {
    return value.toLocaleString(locale, currency ? { style: 'currency', currency } : { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  } catch {
    return value.toFixed(2);
  }
}

/** The catalog editor: the currency and each product's id, name, price, quantity, image and description. */
export function renderCatalog(doc: FlowDoc, problems: FlowProblem[], change: (catalog: CatalogProduct[] | undefined, currency: string | undefined) => void): TemplateResult {
  const list = doc.catalog ?? [];
  const update = (i: number, patch: Partial<CatalogProduct>) => change(list.map((p, j) => (j === i ? { ...p, ...patch } : p)), doc.currency);
  const text = (i: number, key: 'id' | 'name' | 'image' | 'description') => (e: Event) => {
    const value = (e.target as HTMLInputElement).value;
    const copy = { ...list[i]! };
    if (value) copy[key] = value;
    else if (key !== 'name') delete copy[key];
    change(list.map((p, j) => (j === i ? copy : p)), doc.currency);
  };
  return html`<section class="catalog" aria-label="Catalog">
    <h2>Catalog</h2>
    <label for="c-currency">Currency (ISO code, such as EUR)</label>
    <input id="c-currency" maxlength="3" .value=${doc.currency ?? ''} @input=${(e: Event) => change(list.length ? list : undefined, (e.target as HTMLInputElement).value.toUpperCase() || undefined)} />
    ${problems.filter((p) => p.step === null && p.field.startsWith('c')).map((p) => html`<span class="field-problem" role="alert">${p.field}: ${p.message}</span>`)}
    ${list.map(
      (p, i) => html`<fieldset class="product">
        <legend>${p.name || 'Product'} · ${formatMoney(p.price, p.currency ?? doc.currency)}</legend>
        <input aria-label="Name" placeholder="Name" .value=${p.name} @input=${text(i, 'name')} />
        <input aria-label="Id" placeholder="id (for picking)" .value=${p.id ?? ''} @input=${text(i, 'id')} />
        <input aria-label="Price" type="number" min="0" step="0.01" .value=${String(p.price)} @input=${(e: Event) => update(i, { price: Math.max(0, Number((e.target as HTMLInputElement).value) || 0) })} />
        <input aria-label="Quantity" type="number" min="0" step="1" .value=${String(p.quantity)} @input=${(e: Event) => update(i, { quantity: Math.max(0, Math.trunc(Number((e.target as HTMLInputElement).value) || 0)) })} />
        <input aria-label="Image URL" placeholder="https://…/image.png" .value=${p.image ?? ''} @input=${text(i, 'image')} />
        <input aria-label="Description" placeholder="Short description" .value=${p.description ?? ''} @input=${text(i, 'description')} />
        <button type="button" class="danger" @click=${() => change(list.filter((_, j) => j !== i), doc.currency)}>Remove</button>
      </fieldset>`,
    )}
    <button type="button" @click=${() => change([...list, { name: `Product ${list.length + 1}`, price: 10, quantity: 1, id: `product_${list.length + 1}` }], doc.currency)}>Add product</button>
  </section>`;
}
