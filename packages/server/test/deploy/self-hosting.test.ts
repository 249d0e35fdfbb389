import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT, renderEnvExample } from '../../src/environment.js';

const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const read = (path: string) => readFileSync(root(path), 'utf8');

/** Whether `docker compose` runs here (the client with the compose plugin). */
const compose = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;

describe('the self-hosting kit', () => {
  it('.env.example is the one generated from the list of variables', () => {
    expect(read('.env.example'), 'run `pnpm --filter @parley/server env-example`').toBe(renderEnvExample());
  });

  it('lists every variable the server reads, and only those', () => {
    const sources = [read('packages/server/src/config.ts'), read('packages/server/src/ai/settings.ts')].join('\n');
    const read_ = new Set([...sources.matchAll(/\b(PARLEY_[A-Z_]+[A-Z]|PORT|HOST|DATA_DIR|LOG_LEVEL)\b/g)].map((m) => m[1]!));
    read_.delete('PARLEY_AI_'); // a prefix named in prose
    const listed = ENVIRONMENT.flatMap((s) => s.vars.map((v) => v.name));
    expect(new Set(listed).size).toBe(listed.length);
    expect([...read_].sort()).toEqual([...listed].sort());
  });

  it('the README documents every variable', () => {
    const readme = read('README.md');
    const missing = ENVIRONMENT.flatMap((s) => s.vars.map((v) => v.name)).filter(
      (name) => !readme.includes(name) && !(name.startsWith('PARLEY_AI_') && readme.includes('PARLEY_AI_*')) && !(name.startsWith('PARLEY_WEBHOOK_') && readme.includes(name.slice('PARLEY_WEBHOOK'.length))),
    );
    expect(missing).toEqual([]);
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
