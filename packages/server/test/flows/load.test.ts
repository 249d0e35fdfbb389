import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError, loadFlowFile, parseFlow } from '../../src/flows/load.js';
import { tempDataDir } from '../helper.js';

const base = { id: 'f', name: 'F', version: 1, start: 'a' };

function problemsOf(document: unknown): string[] {
  try {
    parseFlow(document, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(FlowError);
    return (error as FlowError).problems;
  }
  throw new Error('expected the flow to be refused');
}

describe('loading flows', () => {
  it('names a step that leads nowhere', () => {
    const problems = problemsOf({ ...base, steps: { a: { type: 'say', text: 'hi', next: 'missing' } } });
    expect(problems).toEqual(['steps.a.next: leads to "missing", which is not a step']);
  });

  it('names a missing start, a bad regex and a set step without a value', () => {
    const problems = problemsOf({
      ...base,
      start: 'nope',
      steps: {
        a: { type: 'input', kind: 'text', text: 'x', var: 'v', validate: { pattern: '([' }, next: 'b' },
        b: { type: 'set', var: 'v', next: 'c' },
        c: { type: 'end' },
      },
    });
    expect(problems).toEqual([
      'start: "nope" is not a step',
      'steps.a.validate.pattern: not a valid regular expression',
      'steps.b.value: a set step needs exactly one of "value" or "generate"',
    ]);
  });

  it('refuses a loop that never waits for the visitor', () => {
    const problems = problemsOf({ ...base, steps: { a: { type: 'say', text: '1', next: 'b' }, b: { type: 'say', text: '2', next: 'a' } } });
    expect(problems[0]).toMatch(/loop without waiting for the visitor: a -> b -> a/);
  });

  it('points at schema errors by path', () => {
    const problems = problemsOf({ ...base, steps: { a: { type: 'say', text: 'hi' } } });
    expect(problems).toEqual(['steps.a.next: is required']);
  });

  it('reports a file that is not JSON', () => {
    const file = join(tempDataDir(), 'bad.json');
    writeFileSync(file, '{ nope');
    expect(() => loadFlowFile(file)).toThrow(/Invalid flow .*bad\.json:\n {2}- not readable JSON/);
  });
});
