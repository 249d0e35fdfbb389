/**
 * Import structure of the four packages, checked by `pnpm check:imports` (part of `pnpm test`).
 *
 * Two promises, see CONTRIBUTING.md:
 * - no package has an import cycle (type-only imports count: a cycle of types is still a knot a
 *   reader has to untie);
 * - in the server, arrows run downward only: channels (visitors/, agents/) on top, capabilities in
 *   the middle, platform (core/, realtime/, external/, db/, lib/, errors.ts, config.ts) at the
 *   bottom. A capability may use the platform and another capability; it never uses a channel.
 *   The platform uses neither. The entry files at the root of src (app.ts, server.ts, cli.ts,
 *   index.ts, environment.ts) sit above all three.
 *
 * Run it alone with `pnpm check:imports`; each line names the rule, then the importing file and
 * the file it imports (for a cycle, the whole loop), then what to do about it.
 */
const server = 'packages/server/src';
const channels = `^${server}/(visitors|agents)/`;
const platform = `^${server}/(core|realtime|external|db|lib)/|^${server}/(errors|config)\\.ts$`;
/** Everything in the server's src that is neither a channel, the platform nor the entry files. */
const capabilities = `^${server}/(?!(visitors|agents|core|realtime|external|db|lib)/)[^/]+/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Import cycle: move the shared piece (often a type) into a lower file both can import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-imports-capability',
      severity: 'error',
      comment:
        'The platform (core, realtime, external, db, lib, errors.ts, config.ts) is below every ' +
        'capability: move the needed piece down, or pass it in from the capability.',
      from: { path: platform },
      to: { path: `${capabilities}|${channels}` },
    },
    {
      name: 'capability-imports-channel',
      severity: 'error',
      comment:
        'Capabilities sit below the channels (visitors, agents): move the needed piece into the ' +
        'capability, or pass it in from the channel.',
      from: { path: capabilities },
      to: { path: channels },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing: a typo, or a file that moved.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    // Type-only imports count too: `import type` is still an arrow between two files.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'types', 'default'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
