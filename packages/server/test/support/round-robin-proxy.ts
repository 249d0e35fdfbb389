/**
 * The loopback round-robin proxy that stands for a load balancer in front of several nodes. It
 * lives with the bench (`pnpm drill --nodes` runs it too), since bench code does not import tests.
 */
export { RoundRobinProxy } from '../../bench/lib/round-robin-proxy.js';
