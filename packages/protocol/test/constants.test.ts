import { describe, expect, it } from 'vitest';
import * as constants from '../src/constants.js';
import * as limits from '../src/limits.js';
import * as protocol from '../src/index.js';

declare global {
  interface ImportMeta {
    /** Vite's module glob (vitest runs on Vite), typed here: this package has no Vite types. */
    glob<T>(pattern: string, options: { query: string; import: string; eager: true }): Record<string, T>;
  }
}

/** The text of every source module, by path under src/ (the protocol has no Node types to read files with). */
const sources = import.meta.glob<string>('../src/**/*.ts', { query: '?raw', import: 'default', eager: true });

/** The relative modules `file` imports or re-exports, and theirs, by path under src/. */
function importGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = sources[`../src/${file}`];
  if (source === undefined) throw new Error(`no module src/${file}`);
  for (const [, specifier] of source.matchAll(/^(?:import|export)\b[^;]*?'([^']+)';/gm)) {
    if (specifier!.startsWith('./')) importGraph(specifier!.slice(2).replace(/\.js$/, '.ts'), seen);
    else seen.add(specifier!);
  }
  return seen;
}

describe('@parley/protocol/constants', () => {
  it('loads no schema library, so a client bundle that needs a close code stays small', () => {
    expect([...importGraph('constants.ts')].sort()).toEqual(['constants.ts', 'limits.ts']);
  });

  it('holds the close codes and size caps the main entry and /limits export', () => {
    expect(constants.CloseCode).toBe(protocol.CloseCode);
    expect(constants.Limits).toBe(limits.Limits);
    expect(constants.AttributeLimits).toBe(protocol.AttributeLimits);
    expect(constants.CloseCode).toMatchObject({ normal: 1000, goingAway: 1001, policy: 1008, tooBig: 1009, unauthorized: 4401, sessionClosed: 4404 });
  });
});
