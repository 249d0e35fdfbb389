import type { LitElement } from 'lit';

/** Creates an element, sets its properties, puts it in the document and waits for it to render. */
export async function mount<T extends LitElement>(tag: string, props: Partial<T> = {}): Promise<T> {
  const element = Object.assign(document.createElement(tag), props) as T;
  document.body.append(element);
  await element.updateComplete;
  return element;
}

/** `querySelector` inside an element's shadow root. */
export function $<E extends Element = HTMLElement>(host: Element, selector: string): E {
  const found = host.shadowRoot!.querySelector<E>(selector);
  if (!found) throw new Error(`no ${selector} in <${host.localName}>`);
  return found;
}

/** `querySelectorAll` inside an element's shadow root. */
export function $$<E extends Element = HTMLElement>(host: Element, selector: string): E[] {
  return [...host.shadowRoot!.querySelectorAll<E>(selector)];
}

/** Collects the events of one type that reach `document`. */
export function record<E extends Event>(type: string): E[] {
  const seen: E[] = [];
  document.addEventListener(type, (event) => seen.push(event as E));
  return seen;
}

export { until } from '../../server/test/support/until.js';
