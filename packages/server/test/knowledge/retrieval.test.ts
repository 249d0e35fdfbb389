import { describe, expect, it } from 'vitest';
import { analyze, rerank, Vocabulary } from '../../src/knowledge/retriever.js';
import { parseCsv, parseMarkdownArticle } from '../../src/knowledge/import.js';
import { toPassages } from '../../src/knowledge/passages.js';
import { contentWords } from '../../src/knowledge/query.js';

describe('passages', () => {
  it('cuts an article into its lead and one passage per paragraph under its heading, joining short ones', () => {
    expect(toPassages('We ship to Canada and the United States of America, by air.\n\n## Costs\nYes.\n\nShipping costs **15 EUR** and takes [5 days](https://x.test).\n\n- fast\n- tracked')).toEqual([
      { position: 0, heading: '', text: 'We ship to Canada and the United States of America, by air.' },
      { position: 1, heading: 'Costs', text: 'Yes. Shipping costs 15 EUR and takes 5 days. fast tracked' },
    ]);
  });
});

describe('the question', () => {
  it('keeps the words that carry meaning, and what phrases mean at half weight', () => {
    expect(contentWords('Hi, how long does the delivery take please?')).toEqual([
      { word: 'long', stem: 'long', weight: 1 },
      { word: 'delivery', stem: 'deliveri', weight: 1 },
      { word: 'days', stem: 'dai', weight: 0.5 },
      { word: 'time', stem: 'time', weight: 0.5 },
    ]);
  });

  it('puts typos right against the articles, never a known word, and scores coverage by IDF', () => {
    const vocab = new Vocabulary([
      { title: 'International shipping', heading: '', text: 'We ship to Canada and Mexico.' },
      { title: 'Returns', heading: '', text: 'Return each item within 30 days.' },
    ]);
    const fixed = analyze('shiping to canda', vocab);
    expect(fixed.terms.filter((t) => t.weight === 0.8).map((t) => t.word).sort()).toEqual(['canada', 'shipping']);
    // "reach" is one edit from "each" but is not a typo of it: its synonyms stand in instead.
    expect(analyze('how can I reach you', vocab).terms.map((t) => t.word)).not.toContain('each');

    const candidates = [
      { passageId: 1, articleId: 'a', title: 'International shipping', heading: '', text: 'We ship to Canada and Mexico.', rank: -3 },
      { passageId: 2, articleId: 'b', title: 'Returns', heading: '', text: 'Return each item within 30 days.', rank: -1 },
    ];
    const [best, other] = rerank(fixed, candidates, 3);
    expect(best).toMatchObject({ articleId: 'a' });
    // Words put right count 0.8 of words typed right.
    expect(best!.score).toBeGreaterThan(0.7);
    expect(other?.score ?? 0).toBeLessThan(0.2);
    // A question the articles mostly lack stays below any sensible threshold.
    const dog = rerank(analyze('can I bring my dog to Canada', vocab), candidates, 1);
    expect(dog[0]!.score).toBeLessThan(0.5);
  });

  it('counts a typed word the articles lack entirely double, but not one a phrase stands for', () => {
    const vocab = new Vocabulary([
      { title: 'Our stores', heading: '', text: 'Visit our store in Hamburg or Munich.' },
      { title: 'Returns', heading: '', text: 'Return each item within 30 days.' },
    ]);
    const candidates = [{ passageId: 1, articleId: 'a', title: 'Our stores', heading: '', text: 'Visit our store in Hamburg or Munich.', rank: -3 }];
    // "parking" is unknown: hamburg and store found, parking missing twice over → under half.
    const parking = analyze('is there parking at the hamburg store', vocab);
    expect(parking.groupWeight[0]).toBeCloseTo(2 * parking.groupIdf[0]!);
    expect(rerank(parking, candidates, 1)[0]!.score).toBeLessThan(0.5);
    // Known words weigh their IDF alone.
    expect(parking.groupWeight.slice(1)).toEqual(parking.groupIdf.slice(1));
    // "long" in "how long" is the phrase's meaning, not a topic the articles miss.
    const long = analyze('how long to return an item', vocab);
    expect(long.groupWeight[0]).toBe(long.groupIdf[0]);
  });
});

describe('import files', () => {
  it('reads quoted CSV fields with commas, quotes and line breaks', () => {
    expect(parseCsv('title,body\r\n"A, b","say ""hi""\nthere"\r\nC,D')).toEqual([['title', 'body'], ['A, b', 'say "hi"\nthere'], ['C', 'D']]);
  });

  it('takes a Markdown file title from its first heading or its name', () => {
    expect(parseMarkdownArticle('x/gift-cards.md', 'Never expire.', 'Payments')).toEqual({ title: 'gift cards', body: 'Never expire.', category: 'Payments', status: 'published' });
    expect(parseMarkdownArticle('a.md', '# Returns\n\nWithin 30 days.')).toMatchObject({ title: 'Returns', body: 'Within 30 days.' });
  });
});
