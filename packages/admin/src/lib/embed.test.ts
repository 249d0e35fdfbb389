import { describe, expect, it } from 'vitest';
import { embedSnippet, parseOrigins } from './embed.js';

describe('embed code and allowed origins', () => {
  it('makes the one-line embed code', () => {
    expect(embedSnippet('https://chat.example', 'site_abc')).toBe('<script src="https://chat.example/widget.js" data-site="site_abc" async></script>');
  });

  it('reads allowed origins one per line or comma separated, without duplicates or trailing slashes', () => {
    expect(parseOrigins('https://a.example/\n  https://b.example:8443, https://a.example\n\n')).toEqual(['https://a.example', 'https://b.example:8443']);
  });
});
