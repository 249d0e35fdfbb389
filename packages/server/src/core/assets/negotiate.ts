/** The encodings an asset may be stored in besides its raw bytes, best first. */
export type Encoding = 'br' | 'gzip';

/** The file suffix of each stored encoding. */
export const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/**
 * Picks the best stored encoding a client accepts (RFC 9110 `Accept-Encoding`, with q-values and
 * `*`), or undefined for the raw bytes. Brotli wins a tie: it is smaller.
 *
 * @example chooseEncoding('gzip, deflate, br;q=0.9', ['br', 'gzip']) // 'gzip'
 */
export function chooseEncoding(header: string | undefined, available: readonly Encoding[]): Encoding | undefined {
  if (!header || available.length === 0) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q' && value !== undefined) q = Number.isFinite(Number(value)) ? Number(value) : 0;
    }
    weights.set(name.trim(), q);
  }
  let best: Encoding | undefined;
  let bestQ = 0;
  for (const encoding of available) {
    const q = weights.get(encoding) ?? (encoding === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*') ?? 0;
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}
