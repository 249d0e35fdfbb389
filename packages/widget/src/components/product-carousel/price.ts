/** A price with two decimals in the visitor's locale (the flow has no currency, so none is shown). */
export function formatPrice(value: number, locale?: string): string {
  try {
    return value.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  } catch {
    return value.toFixed(2);
  }
}
