import { html, nothing, type TemplateResult } from 'lit';
import type { Component } from '../../protocol.js';
import type { ParleyStrings } from '../../i18n.js';

let loadRating: Promise<unknown> | undefined;

/** What a component needs from the message around it. */
export interface ComponentContext {
  /** Only the newest bot message's buttons, products and uploads can be used. */
  active: boolean;
  /** What the visitor answered to this message (a label), to show which option was chosen. */
  answer: string | undefined;
  locale: string | undefined;
  strings: ParleyStrings;
  resolveUrl: (url: string) => string | undefined;
}

/** Loads the article card the first time one arrives (a feature chunk, see docs/widget.md). */
let articleChunk: Promise<unknown> | undefined;

/**
 * The element for one component, or nothing for an `input` hint (the composer shows it) and for a
 * type this widget does not know (a newer server): the rest of the message still renders.
 */
export function renderComponent(component: Component, ctx: ComponentContext): TemplateResult | typeof nothing {
  const off = !ctx.active;
  switch (component.type) {
    case 'text':
      return html`<parley-text part="bubble" class="bubble" .html=${component.payload.text}></parley-text>`;
    case 'error':
      return html`<parley-error .text=${component.payload.text}></parley-error>`;
    case 'button_options':
      return html`<parley-button-options .options=${component.payload.options} ?disabled=${off} .chosen=${ctx.answer} .strings=${ctx.strings}></parley-button-options>`;
    case 'product_carousel':
      return html`<parley-product-carousel
        class="wide"
        .products=${component.payload.products}
        ?disabled=${off}
        .chosen=${ctx.answer}
        .locale=${ctx.locale}
        .strings=${ctx.strings}
        .resolveUrl=${ctx.resolveUrl}
      ></parley-product-carousel>`;
    case 'form':
      return html`<parley-form class="wide" .form=${component.payload} ?disabled=${off}></parley-form>`;
    case 'selected_product_card':
      return html`<parley-selected-product-card .product=${component.payload.product} .locale=${ctx.locale} .strings=${ctx.strings}></parley-selected-product-card>`;
    case 'image': {
      const src = ctx.resolveUrl(component.payload.url);
      return src ? html`<parley-image src=${src} alt=${component.payload.alt}></parley-image>` : nothing;
    }
    case 'file_request':
      return html`<parley-file-request
        class="wide"
        prompt=${component.payload.prompt}
        accept=${component.payload.accept}
        max-bytes=${component.payload.max_bytes}
        ?disabled=${off}
        .strings=${ctx.strings}
      ></parley-file-request>`;
    case 'rating':
      // A feature chunk: loaded when the first rating arrives (the element upgrades then).
      loadRating ??= import('../rating/rating.js');
      return html`<parley-rating .payload=${component.payload}></parley-rating>`;
    case 'article': {
      articleChunk ??= import('../article/article.js');
      const { title, excerpt, url } = component.payload;
      return html`<parley-article .heading=${title} .excerpt=${excerpt} .href=${ctx.resolveUrl(url)} .label=${ctx.strings.readArticle}></parley-article>`;
    }
    default:
      return nothing;
  }
}
