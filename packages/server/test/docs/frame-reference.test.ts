import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AgentServerFrame, VisitorClientFrame } from '@parley/protocol';
import { END, PROTOCOL_DOC, renderFrameReference, START, withFrameReference } from '../../scripts/frame-reference.js';

describe('the frame reference in docs/protocol.md', () => {
  it('is what the protocol schemas generate today (run `pnpm --filter @parley/server docs:protocol` after changing a frame)', () => {
    const doc = readFileSync(PROTOCOL_DOC, 'utf8');
    expect(doc.split(START)).toHaveLength(2);
    expect(doc.split(END)).toHaveLength(2);
    const section = doc.slice(doc.indexOf(START), doc.indexOf(END) + END.length);
    expect(section).toBe(renderFrameReference());
  });

  it('lists every frame of both sockets with every field', () => {
    const section = renderFrameReference();
    for (const union of [VisitorClientFrame, AgentServerFrame]) {
      for (const frame of union.anyOf) {
        const type = (frame.properties.type as { const: string }).const;
        expect(section).toContain(`#### \`${type}\``);
        for (const field of Object.keys(frame.properties).filter((key) => key !== 'type')) expect(section).toContain(`| \`${field}\` |`);
      }
    }
    expect(section).toContain('| `text` | yes | `string` | 1 to 4000 characters |');
  });

  it('replaces only its own section and notices a stale one', () => {
    const stale = `# Doc\n\nbefore\n\n${START}\nold frames\n${END}\n\nafter\n`;
    const fresh = withFrameReference(stale);
    expect(fresh.startsWith('# Doc\n\nbefore\n\n')).toBe(true);
    expect(fresh.endsWith('\n\nafter\n')).toBe(true);
    expect(fresh).not.toContain('old frames');
    expect(withFrameReference(fresh)).toBe(fresh);
  });
});
