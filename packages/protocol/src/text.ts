import type { Component } from './components.js';
import { lightHtmlToText } from './html.js';

function money(value: number): string {
  return value.toFixed(2);
}

/** Plain text of one component, or '' for components with nothing to read (an input hint). */
export function componentToText(component: Component): string {
  switch (component.type) {
    case 'text':
      return lightHtmlToText(component.payload.text);
    case 'error':
      return component.payload.text;
    case 'button_options':
      return component.payload.options.map((o) => `- ${o.label}`).join('\n');
    case 'product_carousel':
      return component.payload.products
        .map((p) => `${p.index}. ${p.name} (quantity ${p.quantity}, ${money(p.price)} each)`)
        .join('\n');
    case 'selected_product_card': {
      const p = component.payload.product;
      return `${p.name}: ${p.quantity} x ${money(p.price)} = ${money(p.total_price)}`;
    }
    case 'image':
      return component.payload.alt ? `[image: ${component.payload.alt}]` : '[image]';
    case 'file_request':
      return component.payload.prompt;
    case 'form':
      return `[form: ${component.payload.fields.map((f) => f.label).join(', ')}]`;
    case 'input':
      return '';
    case 'article': {
      const { title, excerpt, url } = component.payload;
      return excerpt ? `${title}\n${excerpt}\n${url}` : `${title}: ${url}`;
    }
    default:
      return '';
  }
}

/**
 * A message's components as readable plain text: texts first, then options as a list, products
 * as numbered lines. Used for transcripts, search, notifications and the REST chat API.
 */
export function componentsToText(components: readonly Component[]): string {
  // Most messages are one component: no arrays to build.
  if (components.length === 1) return componentToText(components[0]!);
  return components
    .map(componentToText)
    .filter((part) => part !== '')
    .join('\n');
}
