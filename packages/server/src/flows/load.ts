import { readFileSync } from 'node:fs';
import { checkFlow, formatFlowProblem, transitions, type Flow, type FlowProblem, type FlowStep } from '@parley/protocol';

/** A flow file that cannot be used, with every problem found, each naming its place. */
export class FlowError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
    /** The same problems, each pinned to its step and field. */
    readonly details: FlowProblem[] = [],
  ) {
    super(`Invalid flow ${source}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'FlowError';
  }
}

/** Names of the steps a step can lead to. */
export function successors(step: FlowStep): string[] {
  return transitions(step).map((t) => t.to);
}

/**
 * Validates a parsed flow document with the shared validator (`checkFlow` of the protocol, the
 * one the dashboard's builder runs too). Throws `FlowError` listing every problem.
 */
export function parseFlow(document: unknown, source = 'flow'): Flow {
  const problems = checkFlow(document);
  if (problems.length) throw new FlowError(source, problems.map(formatFlowProblem), problems);
  return document as Flow;
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
