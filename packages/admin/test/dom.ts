import { afterEach } from 'vitest';
import type { LitElement } from 'lit';

const mounted: HTMLElement[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.remove();
});

/** Creates an element, sets its properties, attaches it to the page and waits for its first render. */
export async function mount<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}): Promise<HTMLElementTagNameMap[K]> {
  const element = document.createElement(tag);
  Object.assign(element, props);
  document.body.append(element);
  mounted.push(element);
  await (element as unknown as LitElement).updateComplete;
  return element;
}

/** Waits for an element (and the elements it renders) to finish rendering. */
export async function settle(element: Element): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await (element as LitElement).updateComplete;
    for (const child of element.shadowRoot?.querySelectorAll('*') ?? []) if ('updateComplete' in child) await (child as LitElement).updateComplete;
  }
}

/** `querySelector` inside an element's shadow root. */
export function $(element: Element, selector: string): HTMLElement | null {
  return element.shadowRoot!.querySelector<HTMLElement>(selector);
}

/** `querySelectorAll` inside an element's shadow root. */
export function $$(element: Element, selector: string): HTMLElement[] {
  return [...element.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
}

/** Collects the events of a type an element dispatches. */
export function record<T = unknown>(element: EventTarget, type: string): T[] {
  const seen: T[] = [];
  element.addEventListener(type, (event) => seen.push((event as CustomEvent<T>).detail));
  return seen;
}

/** The visible text of an element's shadow tree, whitespace collapsed. */
export function text(element: Element): string {
  return (element.shadowRoot?.textContent ?? element.textContent ?? '').replace(/\s+/g, ' ').trim();
}
