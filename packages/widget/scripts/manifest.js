// Finishes custom-elements.json after the analyzer: module paths of the published package (dist/,
// not src/), each element's tag name (from its guarded `define('parley-x', Class)` file, which the
// analyzer does not read), its definition module, and events by their real names (`@fires` tags;
// what the analyzer guesses from `new XEvent(...)` arguments is dropped).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const toDist = (path) => path.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');

export function finishManifest(root) {
  const file = `${root}/custom-elements.json`;
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const definitions = [];
  for (const module of manifest.modules) {
    const source = module.path;
    module.path = toDist(source);
    for (const declaration of module.declarations ?? []) {
      if (!declaration.customElement) continue;
      const definer = source.replace(/\.component\.ts$/, '.ts');
      const tag = existsSync(`${root}/${definer}`)
        ? new RegExp(`define\\('([a-z][a-z0-9-]*-[a-z0-9-]+)', ${declaration.name}\\)`).exec(readFileSync(`${root}/${definer}`, 'utf8'))?.[1]
        : undefined;
      if (!tag) throw new Error(`custom-elements.json: no define('...', ${declaration.name}) in ${definer}`);
      declaration.tagName = tag;
      const seen = new Set();
      declaration.events = (declaration.events ?? []).filter((event) => /^parley-[a-z-]+$/.test(event.name ?? '') && !seen.has(event.name) && seen.add(event.name));
      definitions.push({
        kind: 'javascript-module',
        path: toDist(definer),
        declarations: [],
        exports: [
          { kind: 'js', name: declaration.name, declaration: { name: declaration.name, module: module.path } },
          { kind: 'custom-element-definition', name: tag, declaration: { name: declaration.name, module: module.path } },
        ],
      });
    }
    for (const entry of module.exports ?? []) if (entry.declaration?.module) entry.declaration.module = toDist(entry.declaration.module);
  }
  manifest.modules.push(...definitions);
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
