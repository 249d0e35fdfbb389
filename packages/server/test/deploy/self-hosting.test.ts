import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { environmentTable, renderEnvExample } from '../../src/environment.js';

const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const read = (path: string) => readFileSync(root(path), 'utf8');

/** Whether `docker compose` runs here (the client with the compose plugin). */
const compose = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;

describe('the self-hosting kit', () => {
  it('.env.example is the one generated from the list of variables', () => {
    expect(read('.env.example'), 'run `pnpm --filter @parley/server env-example`').toBe(renderEnvExample());
  });

  it('the server reads the environment only through its schema', () => {
    const src = root('packages/server/src');
    const readers = readdirSync(src, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.ts') && readFileSync(join(src, file), 'utf8').includes('process.env'));
    expect(readers).toEqual(['config.ts']);
    const listed = environmentTable().flatMap((s) => s.vars.map((v) => v.name));
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("the README's table documents every variable, with the schema's defaults", () => {
    const readme = read('README.md');
    const table = environmentTable().flatMap((s) => s.vars);
    const missing = table.map((v) => v.name).filter(
      (name) => !readme.includes(name) && !(name.startsWith('PARLEY_AI_') && readme.includes('PARLEY_AI_*')) && !(name.startsWith('PARLEY_WEBHOOK_') && readme.includes(name.slice('PARLEY_WEBHOOK'.length))),
    );
    expect(missing).toEqual([]);
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \|[^|]*\| ([^|]*) \|/gm)].map((m) => ({ name: m[1]!, shown: m[2]!.trim() }));
    expect(rows.length).toBeGreaterThan(20);
    for (const { name, shown } of rows) {
      const documented = table.find((v) => v.name === name);
      expect(documented, `${name} is in the README but not in src/core/environment.ts`).toBeDefined();
      // A default in backticks is the value itself; words ("none", "generated, printed once") stand for no value.
      const value = /^`([^`]*)`$/.exec(shown)?.[1];
      expect(value ?? '', name).toBe(documented!.default);
    }
  });

  it('a bad value stops the server with an error that names the variable', () => {
    expect(() => loadConfig({}, { PORT: 'http' })).toThrow('PORT must be a whole number from 0 to 65535, got "http"');
    expect(() => loadConfig({}, { PARLEY_TRUST_PROXY: 'yes' })).toThrow('PARLEY_TRUST_PROXY must be true or false, got "yes"');
    expect(() => loadConfig({}, { LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
    expect(() => loadConfig({}, { PARLEY_KNOWLEDGE_THRESHOLD: '2' })).toThrow('PARLEY_KNOWLEDGE_THRESHOLD must be a number from 0 to 1');
    // A secret that is too short is not repeated in the message (it would end up in logs).
    expect(() => loadConfig({}, { PARLEY_SECRET: 'hunter2' })).toThrow(/^PARLEY_SECRET must be at least 32 characters long$/);
    expect(loadConfig({}, { PORT: '8080', PARLEY_SQLITE_SYNCHRONOUS: 'full', PARLEY_AI_MODEL: 'm' })).toMatchObject({ port: 8080, sqliteSynchronous: 'FULL', ai: { model: 'm', enabled: true } });
    expect(loadConfig({}, {}).ai).toBeUndefined();
  });

  it('the image runs the documented command, as a non-root user, with its data in a volume and a health check', () => {
    const dockerfile = read('Dockerfile');
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).toMatch(/\nUSER node\n/);
    expect(final).toMatch(/\nVOLUME \["\/data"\]\n/);
    expect(final).toMatch(/DATA_DIR=\/data/);
    expect(final).toMatch(/\nHEALTHCHECK [^\n]*\\\n\s+CMD \[[^\n]*\/readyz/);
    expect(final).toMatch(/\nCMD \["node", "packages\/server\/dist\/cli\.js", "start"\]\n/);
    expect(read('docs/deployment.md')).toContain('node packages/server/dist/cli.js start');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    const pnpm = (JSON.parse(read('package.json')) as { packageManager: string }).packageManager;
    expect(dockerfile).toContain(`npm install -g ${pnpm}`);
  });

  it.skipIf(!compose)('compose.yaml is valid for docker compose, one node with its data volume', () => {
    const config = JSON.parse(execFileSync('docker', ['compose', '-f', root('compose.yaml'), 'config', '--format', 'json'], { encoding: 'utf8' })) as {
      services: Record<string, { volumes?: Array<{ source: string; target: string }>; environment?: Record<string, string> }>;
      volumes: Record<string, unknown>;
    };
    expect(Object.keys(config.services)).toEqual(['parley']);
    expect(config.services.parley!.volumes).toEqual([expect.objectContaining({ source: 'parley-data', target: '/data' })]);
    expect(config.services.parley!.environment).toMatchObject({ DATA_DIR: '/data', HOST: '0.0.0.0' });
    expect(Object.keys(config.volumes)).toEqual(['parley-data']);
  });

  it('compose.yaml names the data volume (checked without docker too)', () => {
    const yaml = read('compose.yaml');
    expect(yaml).toMatch(/\n {6}- parley-data:\/data\n/);
    expect(yaml).toMatch(/\nvolumes:\n {2}parley-data:\n/);
  });
});
