import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The newest file under `dir` (recursively) and its modification time; undefined when there is none. */
function newest(dir: string): { path: string; mtimeMs: number } | undefined {
  let found: { path: string; mtimeMs: number } | undefined;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory() ? newest(path) : { path, mtimeMs: statSync(path).mtimeMs };
    if (candidate && (!found || candidate.mtimeMs > found.mtimeMs)) found = candidate;
  }
  return found;
}

/**
 * Why the built server (`dist`, what the benches and drills run) may not be the code in `src`:
 * it is missing, or a source file changed after the last build. Undefined when it looks current.
 */
export function staleBuild(root = packageRoot): string | undefined {
  const built = newest(join(root, 'dist'));
  if (!built) return 'dist is missing: run `pnpm build` first';
  const source = newest(join(root, 'src'));
  if (source && source.mtimeMs > built.mtimeMs) {
    return `src changed after the last build (${source.path.slice(root.length)}): this runs the older dist; run \`pnpm build\` first`;
  }
  return undefined;
}
