/** Defines a custom element once: a page that loads the dashboard twice does not crash. */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
