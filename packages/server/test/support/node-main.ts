/*
 * One Parley node in a process of its own, for tests that kill a node outright (SIGKILL), which two
 * apps in the test's own process cannot do. Started by `startNodeProcess` (node-process.ts) with
 * its options as JSON in PARLEY_NODE_OPTIONS; prints its address as one JSON line once listening.
 */
import type { AddressInfo } from 'node:net';
import { buildServer } from '../../src/server.js';

const options = JSON.parse(process.env.PARLEY_NODE_OPTIONS ?? '{}') as Parameters<typeof buildServer>[0];
const app = await buildServer({ logLevel: 'silent', ...options });
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ http: `http://127.0.0.1:${port}` })}\n`);
