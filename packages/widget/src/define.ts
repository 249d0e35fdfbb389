/** Defines a custom element unless the page already has one by that name (a script loaded twice). */
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
