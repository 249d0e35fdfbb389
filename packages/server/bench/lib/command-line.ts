/**
 * The bench's own arguments: `process.argv` after the script, without the `--` that pnpm passes
 * on when flags follow it (`pnpm --filter @parley/server bench -- --only turns`), which
 * `parseArgs` would otherwise take for the start of positionals and refuse.
 */
export function benchArgs(): string[] {
  const args = process.argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
}
