import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let version: string | undefined;

/**
 * The server package's version, read once from its `package.json` (one level above `src/` and
 * `dist/`, so it holds for the sources under test and for the built package). Read on first use,
 * not on import: the dashboard's tests import server modules in a page-like environment where the
 * module's URL is not a file.
 */
export function serverVersion(): string {
  version ??= (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
  return version;
}
