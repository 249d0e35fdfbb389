import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';

/** The outcome of reading one text frame: a valid frame, or a protocol error code and message. */
export type FrameResult<T> = { ok: true; frame: T } | { ok: false; code: 'bad_request' | 'validation_failed'; message: string; id?: string };

/**
 * Reads JSON text frames discriminated on `type` and validates each against its own schema, so
 * errors say exactly what is wrong ("text: must be string") instead of "matches no frame".
 */
export function frameReader<T extends { type: string }>(schemas: Record<T['type'], TSchema>) {
  const validators = new Map(Object.entries<TSchema>(schemas).map(([type, schema]) => [type, Compile(schema)]));
  return (data: string): FrameResult<T> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return { ok: false, code: 'bad_request', message: 'Frames must be JSON text' };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { ok: false, code: 'bad_request', message: 'A frame must be a JSON object' };
    }
    const record = parsed as Record<string, unknown>;
    const validator = typeof record.type === 'string' && Object.hasOwn(schemas, record.type) ? validators.get(record.type) : undefined;
    if (!validator) return { ok: false, code: 'bad_request', message: 'Unknown frame type' };
    const id = typeof record.id === 'string' && record.id.length <= 64 ? record.id : undefined;
    if (!validator.Check(parsed)) {
      const first = validator.Errors(parsed)[0];
      const where = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : 'frame';
      return { ok: false, code: 'validation_failed', message: `${where}: ${first?.message ?? 'is invalid'}`, ...(id ? { id } : {}) };
    }
    return { ok: true, frame: parsed as T };
  };
}
