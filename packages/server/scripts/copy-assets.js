// Copies the demo flow beside the compiled code, so an installed server finds it without the repo.
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../../examples/flows/support.json', import.meta.url));
const to = fileURLToPath(new URL('../dist/flows/support.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../dist/flows/', import.meta.url)), { recursive: true });
copyFileSync(from, to);
