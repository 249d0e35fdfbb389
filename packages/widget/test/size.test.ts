// @vitest-environment node
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** What loads before the visitor opens the chat. */
const LAUNCHER_BUDGET = 8 * 1024;
/** What loads when the visitor opens the chat: the launcher and the bundle, Lit included. */
const TOTAL_BUDGET = 25 * 1024;
/**
 * Each optional chunk (a component most conversations never show, imported when one first arrives).
 * They stay out of the bundle so that features a site does not use cost its visitors nothing.
 */
const FEATURE_CHUNK_BUDGET = 4 * 1024;

const cdn = fileURLToPath(new URL('../dist/cdn/', import.meta.url));
const files = ['widget.js', ...readdirSync(`${cdn}widget`).map((f) => `widget/${f}`)];
const sizes = files.map((file) => {
  const bytes = readFileSync(cdn + file);
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
/** The launcher and the bundle it imports; every other file is a feature chunk loaded on demand. */
const isCore = (file: string) => file === 'widget.js' || /^widget\/parley-[^/]+\.js$/.test(file);
const core = sizes.filter((s) => isCore(s.file));
const features = sizes.filter((s) => !isCore(s.file));
const total = core.reduce((sum, s) => ({ raw: sum.raw + s.raw, gzip: sum.gzip + s.gzip, brotli: sum.brotli + s.brotli }), { raw: 0, gzip: 0, brotli: 0 });

console.log(
  [
    'widget size (dist/cdn):',
    ...sizes.map((s) => `  ${s.file.padEnd(34)} ${kb(s.raw).padStart(9)} raw  ${kb(s.gzip).padStart(8)} gzip  ${kb(s.brotli).padStart(8)} brotli`),
    `  ${'on opening the chat'.padEnd(34)} ${kb(total.raw).padStart(9)} raw  ${kb(total.gzip).padStart(8)} gzip  ${kb(total.brotli).padStart(8)} brotli`,
    `  budgets: launcher ${kb(LAUNCHER_BUDGET)} gzip, on opening ${kb(TOTAL_BUDGET)} gzip, each feature chunk ${kb(FEATURE_CHUNK_BUDGET)} gzip`,
  ].join('\n'),
);

describe('widget size budget', () => {
  it(`keeps the launcher within ${kb(LAUNCHER_BUDGET)} gzipped`, () => {
    expect(sizes[0]!.gzip).toBeLessThanOrEqual(LAUNCHER_BUDGET);
  });

  it(`keeps what opening the chat loads, Lit included, within ${kb(TOTAL_BUDGET)} gzipped`, () => {
    expect(core).toHaveLength(2);
    expect(total.gzip).toBeLessThanOrEqual(TOTAL_BUDGET);
  });

  it(`keeps each feature chunk loaded on demand within ${kb(FEATURE_CHUNK_BUDGET)} gzipped`, () => {
    for (const chunk of features) expect(chunk.gzip, chunk.file).toBeLessThanOrEqual(FEATURE_CHUNK_BUDGET);
  });

  it('ships a launcher that runs as a classic async script (no static import or export)', () => {
    const launcher = readFileSync(`${cdn}widget.js`, 'utf8');
    expect(launcher).not.toMatch(/(^|[;}\n])\s*(import\s*[{*\w"']|export\s)/);
    expect(launcher).toMatch(/import\(/);
  });

  it('leaves the schema library out of the browser bundle', () => {
    const bundle = sizes.slice(1).map((s) => readFileSync(cdn + s.file, 'utf8')).join('');
    expect(bundle).not.toMatch(/typebox|additionalProperties/);
  });
});
