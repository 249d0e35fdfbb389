/**
 * The WebSocket frame reference of docs/protocol.md, generated from the protocol's TypeBox frame
 * schemas and their doc comments, so the document cannot drift from what the server validates.
 *
 *   pnpm --filter @parley/server docs:protocol     # rewrites the marked section of docs/protocol.md
 *
 * `test/docs/frame-reference.test.ts` fails when the section is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as protocol from '@parley/protocol';

type Schema = {
  type?: string;
  const?: unknown;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | Schema;
};

export const START = '<!-- frame-reference:start -->';
export const END = '<!-- frame-reference:end -->';
export const PROTOCOL_DOC = fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url));
const SOURCES = ['constants.ts', 'ws/visitor.ts', 'ws/agent.ts'].map((file) => fileURLToPath(new URL(`../../protocol/src/${file}`, import.meta.url)));

/** The channels and their directions, each a union schema of the protocol package. */
const SECTIONS = [
  { title: 'Visitor socket `/ws`: visitor to server', union: 'VisitorClientFrame' },
  { title: 'Visitor socket `/ws`: server to visitor', union: 'VisitorServerFrame' },
  { title: 'Agent socket `/ws/agent`: agent to server', union: 'AgentClientFrame' },
  { title: 'Agent socket `/ws/agent`: server to agent', union: 'AgentServerFrame' },
] as const;

/** Every exported schema of the protocol package by identity, to name nested types. */
const names = new Map<unknown, string>();
for (const [name, value] of Object.entries(protocol)) {
  if (value && typeof value === 'object' && !names.has(value)) names.set(value, name);
}

/** The doc comment before each `export const NAME` (frames) and each `name: value` (close codes). */
function docComments(): Map<string, string> {
  const comments = new Map<string, string>();
  for (const file of SOURCES) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(?:export const (\w+)|(\w+):)/g)) {
      const text = match[1]!
        .split('\n')
        .map((line) => line.replace(/^\s*\*\s?/, '').trim())
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
      const key = match[2] ?? `CloseCode.${match[3]}`;
      if (!comments.has(key)) comments.set(key, text);
    }
  }
  return comments;
}

const isObjectLike = (schema: Schema): boolean => schema.type === 'object' || !!schema.anyOf?.some(isObjectLike);

/** A schema as a short type: a named protocol type, a literal, a union of literals, `T[]`, `{ a, b? }`. */
function typeOf(schema: Schema, self?: unknown): string {
  const name = names.get(schema);
  if (name && schema !== self && isObjectLike(schema)) return name;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map((member) => typeOf(member)).join(' \\| ');
  if (schema.type === 'array') return `${schema.items ? typeOf(schema.items) : 'unknown'}[]`;
  if (schema.type === 'object') {
    const properties = Object.entries(schema.properties ?? {});
    if (properties.length === 0) return 'object';
    const required = new Set(schema.required ?? []);
    return `{ ${properties.map(([key, value]) => `${key}${required.has(key) ? '' : '?'}: ${typeOf(value)}`).join(', ')} }`;
  }
  return schema.type ?? 'unknown';
}

/** The constraints a sender must respect, in words. */
function constraintsOf(schema: Schema): string {
  const notes: string[] = [];
  if (schema.minLength !== undefined && schema.maxLength !== undefined) notes.push(`${schema.minLength} to ${schema.maxLength} characters`);
  else if (schema.maxLength !== undefined) notes.push(`at most ${schema.maxLength} characters`);
  else if (schema.minLength !== undefined) notes.push(`at least ${schema.minLength} characters`);
  if (schema.pattern) notes.push(`matches \`${schema.pattern}\``);
  if (schema.minimum !== undefined) notes.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) notes.push(`≤ ${schema.maximum}`);
  if (schema.maxItems !== undefined) notes.push(`at most ${schema.maxItems} items`);
  const name = names.get(schema);
  if (name && !isObjectLike(schema)) notes.push(`\`${name}\``);
  return notes.join('; ');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One frame: its heading, what it is for, and a table of its fields. */
function renderFrame(frame: Schema, comments: Map<string, string>): string {
  const name = names.get(frame) ?? 'unnamed';
  const type = frame.properties?.type?.const;
  const required = new Set(frame.required ?? []);
  const rows = Object.entries(frame.properties ?? {})
    .filter(([key]) => key !== 'type')
    .map(([key, value]) => `| \`${key}\` | ${required.has(key) ? 'yes' : 'no'} | \`${typeOf(value)}\` | ${cell(constraintsOf(value))} |`);
  const lines = [`#### \`${String(type)}\` (\`${name}\`)`, ''];
  const comment = comments.get(name);
  if (comment) lines.push(comment, '');
  if (rows.length) lines.push('| field | required | type | constraints |', '| --- | --- | --- | --- |', ...rows, '');
  else lines.push('No fields besides `type`.', '');
  return lines.join('\n');
}

/** The whole generated section, between its markers. */
export function renderFrameReference(): string {
  const comments = docComments();
  const parts = [
    START,
    '',
    '## Frame reference',
    '',
    'Generated from the frame schemas in `packages/protocol/src/ws/` (`pnpm --filter @parley/server docs:protocol`);',
    'do not edit by hand. Every frame is a JSON object discriminated on `type`; a frame with a key not',
    'listed here, a missing required field or a value out of its constraints is refused with an',
    '`error` frame (`validation_failed`). Named types (`ChatMessage`, `ChatSummary`, …) are the',
    'schemas of the same name in `@parley/protocol`.',
    '',
  ];
  for (const section of SECTIONS) {
    const union = protocol[section.union] as unknown as Schema;
    parts.push(`### ${section.title}`, '', `\`${section.union}\`: ${union.anyOf!.map((f) => `\`${String(f.properties?.type?.const)}\``).join(', ')}.`, '');
    for (const frame of union.anyOf!) parts.push(renderFrame(frame, comments));
  }
  parts.push('### Close codes', '', '| code | name | meaning |', '| --- | --- | --- |');
  for (const [name, code] of Object.entries(protocol.CloseCode)) parts.push(`| ${code} | \`${name}\` | ${cell(comments.get(`CloseCode.${name}`) ?? '')} |`);
  parts.push('', END);
  return parts.join('\n');
}

/** `doc` with its generated section replaced (or, the first time, added before "## Errors, limits and close codes"). */
export function withFrameReference(doc: string): string {
  const section = renderFrameReference();
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start >= 0 && end > start) return doc.slice(0, start) + section + doc.slice(end + END.length);
  const anchor = doc.indexOf('## Errors, limits and close codes');
  if (anchor < 0) return `${doc.trimEnd()}\n\n${section}\n`;
  return `${doc.slice(0, anchor)}${section}\n\n${doc.slice(anchor)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const before = readFileSync(PROTOCOL_DOC, 'utf8');
  const after = withFrameReference(before);
  if (after !== before) writeFileSync(PROTOCOL_DOC, after);
  console.log(after === before ? 'docs/protocol.md is up to date' : 'docs/protocol.md: frame reference written');
}
