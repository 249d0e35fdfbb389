// Starts a worker thread on a TypeScript module, for runs from the sources (the tests): Node 20
// ignores `--import tsx` in a worker's execArgv for its entry, so this plain module loads the
// entry through tsx instead. The built server starts its workers on their compiled `.js` files.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.tsEntry, import.meta.url);
