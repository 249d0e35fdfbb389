import { escapeHtml } from '@parley/protocol';

/** Variables a flow collects, by name. Values are strings, numbers, booleans or small objects (a product). */
export type FlowVars = Record<string, unknown>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

/** Reads a dotted path such as `product.quantity` from the variables; undefined when absent. */
export function lookup(vars: FlowVars, path: string): unknown {
  let value: unknown = vars;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function display(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return 'name' in value ? String((value as { name: unknown }).name) : '';
  return String(value);
}

/**
 * Fills `{{name}}` placeholders of a light-HTML text. Values are HTML-escaped, so a visitor who
 * types `<script>` as their name sees it printed, never run.
 */
export function interpolateHtml(text: string, vars: FlowVars): string {
  return text.replace(PLACEHOLDER, (_, path: string) => escapeHtml(display(lookup(vars, path))));
}

/** Fills placeholders with raw values, for data (a `set` step's value), not for display. */
export function interpolateRaw(text: string, vars: FlowVars): string {
  return text.replace(PLACEHOLDER, (_, path: string) => display(lookup(vars, path)));
}

/** Resolves a number or a `{{variable}}` holding one; undefined when it is not a finite number. */
export function resolveNumber(value: number | string | undefined, vars: FlowVars): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const path = value.replace(/^\{\{\s*|\s*\}\}$/g, '');
  const n = Number(lookup(vars, path));
  return Number.isFinite(n) ? n : undefined;
}
