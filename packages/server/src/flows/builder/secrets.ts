import { SECRET_MASK, type Flow, type FlowProblem, type HttpStep } from '@parley/protocol';
import type { Sealer } from '../../lib/sealed.js';

/** Prefix of a sealed header value inside a stored flow. */
const SEALED = 'sealed:';

/** The `http` steps of a flow that may not be valid yet (a draft): anything shaped like one. */
const httpSteps = (flow: Flow) =>
  Object.entries((flow as { steps?: unknown }).steps ?? {}).filter(
    (e): e is [string, HttpStep] => typeof e[1] === 'object' && e[1] !== null && e[1].type === 'http' && typeof e[1].headers === 'object' && e[1].headers !== null,
  );
const isSecret = (step: HttpStep, header: string) =>
  Array.isArray(step.secret_headers) && step.secret_headers.some((h) => typeof h === 'string' && h.toLowerCase() === header.toLowerCase());

/**
 * The flow as an admin may see it: the value of every secret header of its `http` steps
 * replaced by `SECRET_MASK`. The stored (sealed) values never leave the server.
 */
export function maskSecrets(flow: Flow): Flow {
  const copy = structuredClone(flow);
  for (const [, step] of httpSteps(copy)) {
    for (const name of Object.keys(step.headers ?? {})) if (isSecret(step, name)) step.headers![name] = SECRET_MASK;
  }
  return copy;
}

/**
 * Seals the secret header values an admin typed. A value left as `SECRET_MASK` keeps the sealed
 * value the same step and header have in `previous` (the published flow or the draft); a masked
 * value with nothing to keep is a problem (the admin must type it again).
 */
export function sealSecrets(flow: Flow, previous: Flow[], sealer: Sealer): { flow: Flow; problems: FlowProblem[] } {
  const copy = structuredClone(flow);
  const problems: FlowProblem[] = [];
  for (const [id, step] of httpSteps(copy)) {
    for (const [name, value] of Object.entries(step.headers ?? {})) {
      if (!isSecret(step, name) || typeof value !== 'string') continue;
      if (value === SECRET_MASK) {
        const kept = previous
          .map((p) => (p as { steps?: Record<string, Flow['steps'][string]> }).steps?.[id])
          .map((s) => (s?.type === 'http' ? s.headers?.[name] : undefined))
          .find((v) => v?.startsWith(SEALED));
        if (kept) step.headers![name] = kept;
        else problems.push({ step: id, field: `headers.${name}`, message: 'type the secret value again (it cannot be shown)' });
      } else if (!value.startsWith(SEALED)) {
        step.headers![name] = SEALED + sealer.seal(value);
      } else if (!previous.some((p) => {
          const s = (p as { steps?: Record<string, Flow['steps'][string]> }).steps?.[id];
          return s?.type === 'http' && s.headers?.[name] === value;
        })) {
        // A sealed value from elsewhere (another company's export) would be opened with our key: refuse it.
        problems.push({ step: id, field: `headers.${name}`, message: 'type the secret value again (it cannot be shown)' });
      }
    }
  }
  return { flow: copy, problems };
}

/** A header value as the `http` step sends it: sealed ones opened (undefined if they no longer open). */
export function openHeader(value: string, sealer: Sealer): string | undefined {
  return value.startsWith(SEALED) ? sealer.open(value.slice(SEALED.length)) : value;
}
