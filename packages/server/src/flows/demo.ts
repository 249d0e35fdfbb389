import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Path of the demo support flow. The build copies `examples/flows/support.json` beside the
 * compiled code; in a source checkout the example itself is used. One file, one source of truth.
 */
export function demoFlowPath(): string {
  const candidates = [new URL('./support.json', import.meta.url), new URL('../../../../examples/flows/support.json', import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error('The demo flow (examples/flows/support.json) is missing from this installation');
}
