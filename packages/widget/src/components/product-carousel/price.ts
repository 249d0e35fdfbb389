/**
 * A price in the visitor's locale: with its currency (`12,50 €`, `$12.50`) when the flow gives
 * one (ISO 4217), else a plain number with two decimals.
 */
export function formatPrice(value: number, locale?: string, currency?: string): string {
  try {
    return value.toLocaleString(locale, currency ? { style: 'currency', currency } : { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  } catch {
    return currency ? `${value.toFixed(2)} ${currency}` : value.toFixed(2);
  }
}
