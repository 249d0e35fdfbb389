import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { Strict } from './strict.js';
import {
  AiStep,
  BranchStep,
  ChoiceStep,
  EndStep,
  Flow,
  FormStep,
  HandoffStep,
  HttpStep,
  InputStep,
  LeadStep,
  ProductCardStep,
  ProductsStep,
  RatingStep,
  SayStep,
  SearchStep,
  SetStep,
  StepId,
  UploadStep,
  type FlowStep,
} from './flows.js';

/*
 * The one flow validator: the server runs it before it stores or loads a flow, the dashboard's
 * builder runs it as the admin types, so both always agree. It needs no `eval` (TypeBox falls back
 * to its interpreter under a strict Content-Security-Policy) and no DOM or Node API.
 */

/**
 * One thing wrong with a flow: the step it concerns (null for the flow itself), the field inside
 * that step or flow as a dotted path (`options.1.next`, `validate.pattern`; empty for the whole
 * step) and a sentence for a person.
 */
export const FlowProblem = Strict({
  step: Type.Union([Type.String(), Type.Null()]),
  field: Type.String(),
  message: Type.String(),
});
export type FlowProblem = { step: string | null; field: string; message: string };

/** One arrow of the flow graph: from a step's `field` to the step `to`, with a short label. */
export interface FlowTransition {
  field: string;
  to: string;
  /** What takes this arrow: an option's label, `attempts used up`, a condition, `error`... */
  label: string;
  kind: 'next' | 'option' | 'fail' | 'case' | 'else' | 'error';
}

/** The schema of each step type, so a broken step is reported against its own type. */
export const STEP_SCHEMAS: Record<FlowStep['type'], TSchema> = {
  say: SayStep,
  choice: ChoiceStep,
  input: InputStep,
  products: ProductsStep,
  product_card: ProductCardStep,
  upload: UploadStep,
  set: SetStep,
  branch: BranchStep,
  lead: LeadStep,
  form: FormStep,
  handoff: HandoffStep,
  ai: AiStep,
  end: EndStep,
  http: HttpStep,
  search: SearchStep,
  rating: RatingStep,
};

/** Steps that run and move on without waiting for the visitor (a loop of only these never stops). */
export const PASS_THROUGH_STEPS: ReadonlySet<FlowStep['type']> = new Set(['say', 'set', 'branch', 'lead', 'product_card', 'http', 'rating']);

const FlowShell = Strict({ ...Flow.properties, steps: Type.Record(Type.String(), Type.Unknown()) });

/** Every transition out of a step, in the order the builder draws them. */
export function transitions(step: FlowStep): FlowTransition[] {
  const out: FlowTransition[] = [];
  switch (step.type) {
    case 'choice':
      step.options.forEach((o, i) => {
        if (o.next) out.push({ field: `options.${i}.next`, to: o.next, label: o.label, kind: 'option' });
      });
      if (step.next) out.push({ field: 'next', to: step.next, label: step.options.some((o) => !o.next) ? 'other options' : 'next', kind: 'next' });
      break;
    case 'input':
      out.push({ field: 'next', to: step.next, label: 'valid', kind: 'next' });
      if (step.on_fail) out.push({ field: 'on_fail', to: step.on_fail, label: 'attempts used up', kind: 'fail' });
      break;
    case 'branch':
      step.cases.forEach((c, i) => out.push({ field: `cases.${i}.next`, to: c.next, label: describeCondition(c.when), kind: 'case' }));
      out.push({ field: 'else', to: step.else, label: 'else', kind: 'else' });
      break;
    case 'http':
      out.push({ field: 'next', to: step.next, label: 'ok', kind: 'next' });
      if (step.on_error) out.push({ field: 'on_error', to: step.on_error, label: 'error', kind: 'error' });
      break;
    case 'handoff':
      if (step.next) out.push({ field: 'next', to: step.next, label: 'after the agent', kind: 'next' });
      break;
    case 'end':
      break;
    default:
      out.push({ field: 'next', to: step.next, label: 'next', kind: 'next' });
  }
  return out;
}

/** A condition in a few words (`plan = pro`, `age > 18`). */
export function describeCondition(when: Extract<FlowStep, { type: 'branch' }>['cases'][number]['when']): string {
  if (when.equals !== undefined) return `${when.var} = ${String(when.equals)}`;
  if (when.not_equals !== undefined) return `${when.var} ≠ ${String(when.not_equals)}`;
  if (when.in !== undefined) return `${when.var} in ${when.in.join(', ')}`;
  if (when.gt !== undefined) return `${when.var} > ${when.gt}`;
  if (when.lt !== undefined) return `${when.var} < ${when.lt}`;
  if (when.exists !== undefined) return when.exists ? `${when.var} is set` : `${when.var} is empty`;
  return when.var;
}

const pathToField = (instancePath: string) => instancePath.replace(/^\//, '').split('/').join('.');

function schemaProblems(schema: TSchema, value: unknown, step: string | null, prefix = ''): FlowProblem[] {
  const seen = new Set<string>();
  const problems: FlowProblem[] = [];
  const add = (field: string, message: string) => {
    const key = `${field}: ${message}`;
    if (seen.has(key) || problems.length >= 20) return;
    seen.add(key);
    problems.push({ step, field, message });
  };
  for (const error of Value.Errors(schema, value)) {
    const at = prefix + pathToField(error.instancePath);
    const join = (name: string) => (at ? `${at}.${name}` : name);
    const params = error.params as { requiredProperties?: string[]; additionalProperties?: string[] };
    if (error.keyword === 'required' && params.requiredProperties) for (const name of params.requiredProperties) add(join(name), 'is required');
    else if (error.keyword === 'additionalProperties' && params.additionalProperties) for (const name of params.additionalProperties) add(join(name), 'is not a known field');
    // `additionalProperties: false` also reports each unknown key as "schema is false": said above.
    else if (error.message !== 'schema is false') add(at, error.message);
  }
  return problems;
}

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function stepProblems(flow: Flow, id: string, step: FlowStep, steps: Record<string, unknown>): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const add = (field: string, message: string) => problems.push({ step: id, field, message });
  for (const t of transitions(step)) {
    if (!Object.hasOwn(steps, t.to)) add(t.field, `leads to "${t.to}", which is not a step`);
  }
  switch (step.type) {
    case 'choice':
      if (!step.next) step.options.forEach((o, i) => o.next || add(`options.${i}.next`, 'every option needs a "next" when the step has none'));
      if (new Set(step.options.map((o) => o.value.toLowerCase())).size !== step.options.length) add('options', 'option values must differ');
      break;
    case 'input':
      if (step.validate?.pattern !== undefined && !isRegExp(step.validate.pattern)) add('validate.pattern', 'not a valid regular expression');
      break;
    case 'products': {
      const ids = new Set((flow.catalog ?? []).map((p) => p.id).filter(Boolean));
      if (step.from && step.items) add('items', 'pick catalog items or a product list from a variable, not both');
      else if (step.items) step.items.forEach((item, i) => ids.has(item) || add(`items.${i}`, `"${item}" is not a product of the catalog`));
      else if (!step.from && !flow.catalog?.length) add('items', 'a products step needs a non-empty catalog (or a product list from an http step)');
      break;
    }
    case 'form':
      if (new Set(step.fields.map((f) => f.name)).size !== step.fields.length) add('fields', 'field names must differ');
      step.fields.forEach((field, i) => {
        if (field.kind === 'select' && !field.options?.length) add(`fields.${i}.options`, 'a select field needs "options"');
        if (field.kind !== 'select' && field.options) add(`fields.${i}.options`, 'only a select field has "options"');
        if (field.validate?.pattern !== undefined && !isRegExp(field.validate.pattern)) add(`fields.${i}.validate.pattern`, 'not a valid regular expression');
      });
      break;
    case 'set':
      if ((step.value === undefined) === (step.generate === undefined)) add('value', 'a set step needs exactly one of "value" or "generate"');
      break;
    case 'http': {
      const url = step.url.replace(/\{\{[^}]*\}\}/g, 'x');
      if (!/^https?:\/\/[^/\s]+/i.test(url)) add('url', 'the URL must start with http:// or https:// and name a host');
      for (const name of step.secret_headers ?? []) {
        if (!Object.keys(step.headers ?? {}).some((h) => h.toLowerCase() === name.toLowerCase())) add('secret_headers', `"${name}" is not one of the headers`);
      }
      if (step.body !== undefined) {
        if (step.method === 'GET') add('body', 'a GET request has no body');
        try {
          JSON.parse(step.body.replace(/\{\{[^}]*\}\}/g, '0'));
        } catch {
          add('body', 'the body must be JSON (with {{variables}} where values go)');
        }
      }
      break;
    }
    default:
      break;
  }
  return problems;
}

/** Where a step that failed its schema seems to lead, so the steps after it are not called unreachable. */
function looseTargets(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const r = raw as Record<string, unknown>;
  const lists = [r.options, r.cases].filter(Array.isArray).flat() as Array<{ next?: unknown } | null>;
  return [r.next, r.else, r.on_fail, r.on_error, ...lists.map((o) => o?.next)].filter((x): x is string => typeof x === 'string');
}

/** Steps no path from `start` reaches. */
function unreachable(flow: Flow, valid: Map<string, FlowStep>): string[] {
  const seen = new Set<string>();
  const queue = [flow.start];
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const step = valid.get(id);
    if (step) for (const t of transitions(step)) queue.push(t.to);
    else queue.push(...looseTargets(flow.steps[id]));
  }
  return Object.keys(flow.steps).filter((id) => !seen.has(id));
}

/** A loop made only of steps that do not wait for the visitor, as the list of its steps. */
function passThroughLoop(valid: Map<string, FlowStep>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    const step = valid.get(id);
    if (!step || !PASS_THROUGH_STEPS.has(step.type) || state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    for (const t of transitions(step)) {
      const loop = visit(t.to, [...path, id]);
      if (loop) return loop;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of valid.keys()) {
    const loop = visit(id, []);
    if (loop) return loop;
  }
  return undefined;
}

/**
 * Every problem of a flow document, each pinned to its step and field: its shape (step by step,
 * against the schema of the step's type), references (`next`, options, branches, `on_fail`,
 * `on_error`, catalog items), regular expressions, steps unreachable from `start` and loops that
 * never wait for the visitor. An empty list means the flow can be published.
 *
 * @example checkFlow(doc) // [{ step: 'ask', field: 'next', message: 'leads to "x", which is not a step' }]
 */
export function checkFlow(document: unknown): FlowProblem[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return [{ step: null, field: '', message: 'a flow is a JSON object' }];
  }
  const problems = schemaProblems(FlowShell, document, null);
  const doc = document as Record<string, unknown>;
  const steps = (typeof doc.steps === 'object' && doc.steps !== null && !Array.isArray(doc.steps) ? doc.steps : {}) as Record<string, unknown>;
  const valid = new Map<string, FlowStep>();
  for (const [id, raw] of Object.entries(steps)) {
    if (!Value.Check(StepId, id)) {
      problems.push({ step: id, field: '', message: 'a step name uses 1 to 64 letters, digits, "_", "-" or "."' });
      continue;
    }
    const type = (raw as { type?: unknown } | null)?.type;
    const schema = typeof type === 'string' && Object.hasOwn(STEP_SCHEMAS, type) ? STEP_SCHEMAS[type as FlowStep['type']] : undefined;
    if (!schema) {
      problems.push({ step: id, field: 'type', message: `unknown step type ${JSON.stringify(type)}` });
      continue;
    }
    const own = schemaProblems(schema, raw, id);
    if (own.length) problems.push(...own);
    else valid.set(id, raw as FlowStep);
  }
  if (problems.some((p) => p.step === null)) return problems;
  const flow = document as Flow;
  const catalogIds = (flow.catalog ?? []).map((p) => p.id).filter((x): x is string => !!x);
  if (new Set(catalogIds).size !== catalogIds.length) problems.push({ step: null, field: 'catalog', message: 'catalog product ids must differ' });
  const hasStart = Object.hasOwn(steps, flow.start);
  if (!hasStart) problems.push({ step: null, field: 'start', message: `"${flow.start}" is not a step` });
  for (const [id, step] of valid) problems.push(...stepProblems(flow, id, step, steps));
  if (hasStart) {
    for (const id of unreachable(flow, valid)) problems.push({ step: id, field: '', message: 'unreachable: no path from the start leads here' });
  }
  const loop = passThroughLoop(valid);
  if (loop) problems.push({ step: loop[0]!, field: 'next', message: `loop without waiting for the visitor: ${loop.join(' -> ')}` });
  return problems;
}

/** A problem as one line: `steps.ask.next: leads to "x", which is not a step`. */
export function formatFlowProblem(problem: FlowProblem): string {
  const where = problem.step === null ? problem.field || 'flow' : `steps.${problem.step}${problem.field ? `.${problem.field}` : ''}`;
  return `${where}: ${problem.message}`;
}
