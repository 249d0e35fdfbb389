import { readFileSync } from 'node:fs';
import { Compile } from 'typebox/compile';
import { Flow, type FlowStep } from '@parley/protocol';

/** A flow file that cannot be used, with every problem found, each naming its place. */
export class FlowError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid flow ${source}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'FlowError';
  }
}

const flowSchema = Compile(Flow);

/** Steps that run and move on without waiting for the visitor. */
const PASS_THROUGH = new Set<FlowStep['type']>(['say', 'set', 'branch', 'lead', 'product_card', 'rating']);

/** Names of the steps a step can lead to. */
export function successors(step: FlowStep): string[] {
  switch (step.type) {
    case 'choice':
      return [...step.options.map((o) => o.next ?? step.next), step.next].filter((n): n is string => !!n);
    case 'input':
      return [step.next, step.on_fail].filter((n): n is string => !!n);
    case 'branch':
      return [...step.cases.map((c) => c.next), step.else];
    case 'handoff':
      return step.next ? [step.next] : [];
    case 'end':
      return [];
    default:
      return [step.next];
  }
}

function referenceProblems(flow: Flow): string[] {
  const problems: string[] = [];
  const steps = flow.steps;
  if (!Object.hasOwn(steps, flow.start)) problems.push(`start: "${flow.start}" is not a step`);
  for (const [id, step] of Object.entries(steps)) {
    for (const next of successors(step)) {
      if (!Object.hasOwn(steps, next)) problems.push(`steps.${id}: leads to "${next}", which is not a step`);
    }
    if (step.type === 'choice' && !step.next && step.options.some((o) => !o.next)) {
      problems.push(`steps.${id}: every option needs a "next" when the step has none`);
    }
    if (step.type === 'choice' && new Set(step.options.map((o) => o.value.toLowerCase())).size !== step.options.length) {
      problems.push(`steps.${id}: option values must differ`);
    }
    if (step.type === 'products' && !flow.catalog?.length) {
      problems.push(`steps.${id}: a products step needs a non-empty "catalog" in the flow`);
    }
    if (step.type === 'input' && step.validate?.pattern !== undefined) {
      try {
        new RegExp(step.validate.pattern);
      } catch {
        problems.push(`steps.${id}: validate.pattern is not a valid regular expression`);
      }
    }
    if (step.type === 'form') problems.push(...formProblems(id, step));
    if (step.type === 'set' && (step.value === undefined) === (step.generate === undefined)) {
      problems.push(`steps.${id}: a set step needs exactly one of "value" or "generate"`);
    }
  }
  return problems;
}

function formProblems(id: string, step: Extract<FlowStep, { type: 'form' }>): string[] {
  const problems: string[] = [];
  if (new Set(step.fields.map((f) => f.name)).size !== step.fields.length) problems.push(`steps.${id}: field names must differ`);
  for (const field of step.fields) {
    const where = `steps.${id}.fields.${field.name}`;
    if (field.kind === 'select' && !field.options?.length) problems.push(`${where}: a select field needs "options"`);
    if (field.kind !== 'select' && field.options) problems.push(`${where}: only a select field has "options"`);
    if (field.validate?.pattern !== undefined) {
      try {
        new RegExp(field.validate.pattern);
      } catch {
        problems.push(`${where}: validate.pattern is not a valid regular expression`);
      }
    }
  }
  return problems;
}

/** Finds a loop made only of steps that do not wait for the visitor (it would never stop). */
function loopProblems(flow: Flow): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string | undefined => {
    const step = flow.steps[id];
    if (!step || !PASS_THROUGH.has(step.type) || state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path, id].join(' -> ');
    state.set(id, 'visiting');
    for (const next of successors(step)) {
      const loop = visit(next, [...path, id]);
      if (loop) return loop;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of Object.keys(flow.steps)) {
    const loop = visit(id, []);
    if (loop) return [`steps loop without waiting for the visitor: ${loop}`];
  }
  return [];
}

/**
 * Validates a parsed flow document: its shape against the protocol schema, then its references
 * (every `next` names a step), regular expressions and loops. Throws `FlowError` listing every problem.
 */
export function parseFlow(document: unknown, source = 'flow'): Flow {
  if (!flowSchema.Check(document)) {
    const problems = flowSchema
      .Errors(document)
      .slice(0, 20)
      .map((e) => `${e.instancePath || '/'}: ${e.message}`);
    throw new FlowError(source, problems);
  }
  const problems = [...referenceProblems(document), ...loopProblems(document)];
  if (problems.length) throw new FlowError(source, problems);
  return document;
}

/** Reads and validates a flow file. */
export function loadFlowFile(file: string): Flow {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FlowError(file, [`not readable JSON: ${(error as Error).message}`]);
  }
  return parseFlow(document, file);
}
