import { describe, expect, it } from 'vitest';
import { escapeHtml, lightHtmlToText, sanitizeLightHtml } from '../src/html.js';

describe('sanitizeLightHtml', () => {
  it('keeps the allowlisted tags in a normal form', () => {
    expect(sanitizeLightHtml('<B>bold</B> <em class="x">em</em><br/><p>para</p>')).toBe(
      '<b>bold</b> <em>em</em><br><p>para</p>',
    );
    expect(sanitizeLightHtml('<ul><li>one<li>two</ul>')).toBe('<ul><li>one<li>two</li></li></ul>');
  });

  it('escapes every other tag so it shows as text', () => {
    expect(sanitizeLightHtml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(sanitizeLightHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(sanitizeLightHtml('<svg><b onmouseover="x()">hi</b></svg>')).toBe('&lt;svg&gt;<b>hi</b>&lt;/svg&gt;');
    expect(sanitizeLightHtml('<!-- c --><b>')).toBe('&lt;!-- c --&gt;<b></b>');
  });

  it('keeps only http, https and mailto links, with rel=noopener', () => {
    expect(sanitizeLightHtml('<a href="https://x.test/a?b=1&amp;c=2" onclick="y()">x</a>')).toBe(
      '<a href="https://x.test/a?b=1&amp;c=2" rel="noopener noreferrer" target="_blank">x</a>',
    );
    expect(sanitizeLightHtml("<a href='mailto:a@b.test'>m</a>")).toContain('href="mailto:a@b.test"');
    for (const href of ['javascript:alert(1)', 'jav&#x09;ascript:alert(1)', '&#106;avascript:x', ' data:text/html,x', 'vbscript:x', '//evil.test']) {
      const out = sanitizeLightHtml(`<a href="${href}">x</a>`);
      expect(out, href).toBe('<a rel="noopener noreferrer" target="_blank">x</a>');
    }
  });

  it('closes unclosed tags and drops stray closing tags', () => {
    expect(sanitizeLightHtml('<b><i>x')).toBe('<b><i>x</i></b>');
    expect(sanitizeLightHtml('x</b></p>')).toBe('x');
    expect(sanitizeLightHtml('<b><i>x</b>y</i>')).toBe('<b><i>x</i></b>y');
  });

  it('escapes angle brackets and stray ampersands in text but keeps real entities', () => {
    expect(sanitizeLightHtml(`5 > 3 & "q" 'a' &amp; &#169; &bogus`)).toBe(
      `5 &gt; 3 &amp; "q" 'a' &amp; &#169; &amp;bogus`,
    );
  });

  it('is stable: sanitizing twice changes nothing', () => {
    const samples = ['<b>x</b><a href="https://a.test">l</a>', '<p><ul><li>a</ul>', '<x y="<b>">', 'a < b > c & d'];
    for (const sample of samples) {
      const once = sanitizeLightHtml(sample);
      expect(sanitizeLightHtml(once)).toBe(once);
    }
  });

  it('returns text without markup characters exactly as it came, whatever else it holds', () => {
    for (const text of ['Where is my parcel?', 'Größe 42 "quoted" \'single\' 🙂', '  spaces\nand\tlines  ', '']) {
      expect(sanitizeLightHtml(text)).toBe(text);
    }
  });

  it('caps nesting depth', () => {
    const deep = '<b>'.repeat(100) + 'x';
    expect(sanitizeLightHtml(deep).match(/<b>/g)?.length).toBe(32);
  });
});

describe('escapeHtml and lightHtmlToText', () => {
  it('escapes all five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('flattens light HTML to readable text', () => {
    expect(lightHtmlToText('<p>Hello <b>you</b></p><ul><li>one</li><li>two</li></ul>Tom &amp; Jerry<br>end')).toBe(
      'Hello you\n\n- one\n- two\nTom & Jerry\nend',
    );
  });

  it('gives plain text back trimmed, and still tidies line breaks and entities', () => {
    expect(lightHtmlToText('  Where is order #48213?  ')).toBe('Where is order #48213?');
    expect(lightHtmlToText('one  \n\n\n\ntwo')).toBe('one\n\ntwo');
    expect(lightHtmlToText('a &lt; b')).toBe('a < b');
  });
});
