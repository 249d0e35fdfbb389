import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../src/index.js';
// Feature components register themselves when the first one arrives (an on-demand chunk).
import '../src/components/article/article.js';
import '../src/components/rating/rating.js';

interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  events?: Array<{ name: string; description?: string }>;
  attributes?: Array<{ name: string }>;
}
interface Manifest {
  modules: Array<{ path: string; declarations?: Declaration[]; exports?: Array<{ kind: string; name: string; declaration: { name: string; module: string } }> }>;
}

/** The package folder (vitest runs in it; happy-dom gives `import.meta.url` an http scheme). */
const root = `${process.cwd()}/`;
const manifest = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8')) as Manifest;
const elements = manifest.modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.customElement).map((d) => ({ ...d, module: m.path })));
/** Every `parley-*` event the package declares in `HTMLElementEventMap` (src/events). */
const declaredEvents = readdirSync(`${root}src/events`)
  .flatMap((f) => [...readFileSync(`${root}src/events/${f}`, 'utf8').matchAll(/^\s+'(parley-[a-z-]+)': /gm)].map((m) => m[1]!))
  .concat([...readFileSync(`${root}src/events/parley-chat-event.ts`, 'utf8').matchAll(/^\s+'(parley-[a-z-]+)': /gm)].map((m) => m[1]!));

describe('custom-elements.json', () => {
  it('names the tag of every element, as the package registers it', () => {
    const componentFiles = readdirSync(`${root}src/components`, { recursive: true }).filter((f) => String(f).endsWith('.component.ts'));
    expect(componentFiles.length).toBeGreaterThanOrEqual(15);
    expect(elements).toHaveLength(componentFiles.length);
    for (const element of elements) {
      expect(element.tagName, element.name).toMatch(/^parley-/);
      expect(customElements.get(element.tagName!)?.name, element.tagName).toBe(element.name);
    }
    const chat = elements.find((e) => e.tagName === 'parley-chat')!;
    expect(chat.attributes?.map((a) => a.name)).toEqual(expect.arrayContaining(['server', 'site', 'locale', 'theme', 'mode', 'open', 'launcher', 'availability']));
  });

  it('lists every event by its real name, and only those', () => {
    const listed = new Set(elements.flatMap((e) => (e.events ?? []).map((event) => event.name)));
    expect([...listed].sort()).toEqual([...new Set(declaredEvents)].sort());
    const chat = elements.find((e) => e.tagName === 'parley-chat')!;
    expect(chat.events!.map((e) => e.name)).toEqual([
      'parley-open', 'parley-close', 'parley-message', 'parley-unread', 'parley-lead', 'parley-identify',
      'parley-handoff', 'parley-connection', 'parley-ready', 'parley-availability',
    ]);
    for (const event of chat.events!) expect(event.description, event.name).toBeTruthy();
  });

  it('points only at modules the published package contains', () => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
    const files = new Set(packed[0]!.files.map((f) => f.path));
    expect(files.has('custom-elements.json')).toBe(true);
    const paths = manifest.modules.flatMap((m) => [m.path, ...(m.exports ?? []).map((e) => e.declaration.module)]);
    for (const path of paths) expect(files.has(path), path).toBe(true);
    // Each tag's definition module is listed, so tools know what to import to register it.
    const definitions = manifest.modules.flatMap((m) => (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => e.name));
    expect(definitions.sort()).toEqual(elements.map((e) => e.tagName).sort());
  });
});
