// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { build } from 'vite';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/.bin/tsc', import.meta.url));

describe('examples', () => {
  it('npm-vite typechecks and builds against the published entry points of @parley/widget', async () => {
    const root = join(examples, 'npm-vite');
    execFileSync(tsc, ['--noEmit', '-p', root], { stdio: 'pipe' });
    const outDir = mkdtempSync(join(tmpdir(), 'parley-example-'));
    try {
      await build({ root, logLevel: 'silent', configFile: false, build: { outDir, emptyOutDir: true } });
      // The app's chunk and the on-demand feature chunks (such as the article card) together.
      const code = readdirSync(join(outDir, 'assets'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => readFileSync(join(outDir, 'assets', f), 'utf8'))
        .join('\n');
      expect(code).toContain('parley-chat');
      expect(code).toContain('parley-product-carousel');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('script-tag embeds the widget with one async script tag from the Parley server', () => {
    const html = readFileSync(join(examples, 'script-tag/index.html'), 'utf8');
    expect(html).toMatch(/<script\s+src="http:\/\/localhost:3000\/widget\.js"[^>]*\basync><\/script>/);
  });
});
