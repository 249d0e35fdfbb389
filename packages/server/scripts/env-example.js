// Writes .env.example at the repository root from the server's list of environment variables
// (dist/environment.js: run after `pnpm build`).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEnvExample } from '../dist/environment.js';

const target = fileURLToPath(new URL('../../../.env.example', import.meta.url));
writeFileSync(target, renderEnvExample());
console.log(`wrote ${target}`);
