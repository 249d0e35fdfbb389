import type { Flow, FlowStep } from '@parley/protocol';

/** The document the builder edits: a flow that may be half written (and so not valid yet). */
export type FlowDoc = Omit<Flow, 'steps'> & { steps: Record<string, Record<string, unknown>> };

/** The step types the builder can add, with what a new one holds. */
export const NEW_STEP: Record<FlowStep['type'], (next: string) => Record<string, unknown>> = {
  say: (next) => ({ type: 'say', text: 'New message', next }),
  choice: (next) => ({ type: 'choice', text: 'Pick one', options: [{ label: 'Yes', value: 'yes' }, { label: 'No', value: 'no' }], next }),
  input: (next) => ({ type: 'input', kind: 'text', text: 'Your answer?', var: 'answer', next }),
  form: (next) => ({ type: 'form', text: 'A few details', fields: [{ name: 'name', label: 'Name', kind: 'text', required: true }], next }),
  products: (next) => ({ type: 'products', text: 'Which one?', var: 'product', next }),
  product_card: (next) => ({ type: 'product_card', var: 'product', next }),
  upload: (next) => ({ type: 'upload', text: 'Please upload a photo', var: 'photo', next }),
  set: (next) => ({ type: 'set', var: 'ticket', generate: 'ticket', next }),
  branch: (next) => ({ type: 'branch', cases: [{ when: { var: 'answer', equals: 'yes' }, next }], else: next }),
  lead: (next) => ({ type: 'lead', fields: ['answer'], next }),
  http: (next) => ({ type: 'http', method: 'GET', url: 'https://api.example.com/orders/{{order}}', map: { status: 'status' }, next }),
  handoff: () => ({ type: 'handoff', text: 'Let me find a person for you.' }),
  ai: (next) => ({ type: 'ai', text: 'Ask me anything.', next }),
  search: (next) => ({ type: 'search', text: 'What is your question?', next }),
  rating: (next) => ({ type: 'rating', text: 'How did we do?', comment: true, next }),
  end: () => ({ type: 'end', text: 'Goodbye!' }),
};

/** A step name not used yet: `say`, `say_2`, `say_3`... */
export function freeId(doc: FlowDoc, base: string): string {
  const clean = base.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 56) || 'step';
  if (!Object.hasOwn(doc.steps, clean)) return clean;
  for (let n = 2; ; n++) if (!Object.hasOwn(doc.steps, `${clean}_${n}`)) return `${clean}_${n}`;
}

const clone = (doc: FlowDoc): FlowDoc => structuredClone(doc);

/** Adds a step of `type`; when `after` is given, that step's `next` points at the new one. */
export function addStep(doc: FlowDoc, type: FlowStep['type'], after?: string): { doc: FlowDoc; id: string } {
  const next = clone(doc);
  const id = freeId(next, type);
  const previous = after ? next.steps[after] : undefined;
  const follow = typeof previous?.next === 'string' ? previous.next : (Object.keys(next.steps).find((k) => next.steps[k]?.type === 'end') ?? id);
  next.steps[id] = NEW_STEP[type](follow === id ? '' : follow);
  if (previous && 'next' in previous) previous.next = id;
  else if (previous && previous.type !== 'end') previous.next = id;
  return { doc: next, id };
}

/** Copies a step under a new name (nothing points at the copy yet). */
export function duplicateStep(doc: FlowDoc, id: string): { doc: FlowDoc; id: string } {
  const next = clone(doc);
  const copy = freeId(next, `${id}_copy`);
  next.steps[copy] = structuredClone(next.steps[id]!);
  return { doc: next, id: copy };
}

/** Every place a step names another: `[holder, key]` pairs to read and write. */
function references(step: Record<string, unknown>): Array<[Record<string, unknown>, string]> {
  const refs: Array<[Record<string, unknown>, string]> = [];
  for (const key of ['next', 'else', 'on_fail', 'on_error']) if (typeof step[key] === 'string') refs.push([step, key]);
  for (const list of [step.options, step.cases]) {
    if (Array.isArray(list)) for (const item of list) if (item && typeof item === 'object' && typeof item.next === 'string') refs.push([item, 'next']);
  }
  return refs;
}

/** Deletes a step; arrows that pointed at it are left dangling (the validator names them). */
export function deleteStep(doc: FlowDoc, id: string): FlowDoc {
  const next = clone(doc);
  delete next.steps[id];
  return next;
}

/** Renames a step and every reference to it (and `start`). */
export function renameStep(doc: FlowDoc, from: string, to: string): FlowDoc {
  if (from === to || Object.hasOwn(doc.steps, to)) return doc;
  const next = clone(doc);
  next.steps = Object.fromEntries(Object.entries(next.steps).map(([k, v]) => [k === from ? to : k, v]));
  for (const step of Object.values(next.steps)) for (const [holder, key] of references(step)) if (holder[key] === from) holder[key] = to;
  if (next.start === from) next.start = to;
  return next;
}

/** Points a step's `field` (`next`, `options.1.next`, `on_fail`...) at `to` (empty: removes it). */
export function connect(doc: FlowDoc, id: string, field: string, to: string): FlowDoc {
  return setField(doc, id, field, to === '' ? undefined : to);
}

/** Sets a field of a step by dotted path (`validate.pattern`); undefined removes it. */
export function setField(doc: FlowDoc, id: string, field: string, value: unknown): FlowDoc {
  const next = clone(doc);
  let holder: Record<string, unknown> = next.steps[id]!;
  const keys = field.split('.');
  for (const key of keys.slice(0, -1)) {
    if (typeof holder[key] !== 'object' || holder[key] === null) holder[key] = /^\d+$/.test(key) ? [] : {};
    holder = holder[key] as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (value === undefined || value === '') delete holder[last];
  else holder[last] = value;
  return next;
}

/** The variables the flow sets, for `{{variable}}` insertion. */
export function variablesOf(doc: FlowDoc): string[] {
  const names = new Set<string>();
  for (const step of Object.values(doc.steps)) {
    if (typeof step.var === 'string') names.add(step.var);
    if (Array.isArray(step.fields)) for (const f of step.fields) if (typeof f === 'string') names.add(f);
    else if (f && typeof f.name === 'string') names.add(f.name);
    if (step.map && typeof step.map === 'object') for (const k of Object.keys(step.map)) names.add(k);
  }
  return [...names].sort();
}

/**
 * The exits of a step that "Connect…" can point at another step, as `[field, label]`: `next`, each
 * option's and case's `next`, `else`, `on_fail`, `on_error` (an `end` step has none).
 */
export function exitsOf(step: Record<string, unknown>): Array<[string, string]> {
  const type = String(step.type);
  const list = (key: 'options' | 'cases') => (Array.isArray(step[key]) ? (step[key] as Array<Record<string, unknown>>) : []);
  if (type === 'end') return [];
  if (type === 'branch') return [...list('cases').map((c, i): [string, string] => [`cases.${i}.next`, `Case ${i + 1}${typeof (c.when as { var?: unknown })?.var === 'string' ? ` (${(c.when as { var: string }).var})` : ''}`]), ['else', 'Else']];
  const exits: Array<[string, string]> = [];
  if (type === 'choice') exits.push(...list('options').map((o, i): [string, string] => [`options.${i}.next`, `Option "${String(o.label ?? i + 1)}"`]));
  exits.push(['next', type === 'choice' ? 'Other options' : type === 'handoff' ? 'After the agent' : 'Next']);
  if (type === 'input') exits.push(['on_fail', 'Attempts used up (on_fail)']);
  if (type === 'http') exits.push(['on_error', 'On error (on_error)']);
  return exits;
}
