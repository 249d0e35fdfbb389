import { HANDOFF_ACTION, HELPFUL_ACTION, type Component } from '@parley/protocol';
import { citedSources } from '../ai/prompt.js';
import type { KnowledgeHit, KnowledgeHooks } from '../conversations/chat-types.js';

/* What the bot says when it answers from the company's articles. */

const EXCERPT_CHARS = 400;

/** Whole words, at most `max` characters, an ellipsis when cut. */
function excerptOf(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}

/**
 * The answer from an article when the best hit reaches the company's threshold: the passage as an
 * `article` card and "Did that answer your question?" with Yes / No, talk to a person. Undefined
 * when nothing is confident enough.
 */
export function articleAnswer(hits: readonly KnowledgeHit[], knowledge: KnowledgeHooks, companyId: string): Component[] | undefined {
  const best = hits[0];
  if (!best || best.score < knowledge.threshold(companyId)) return undefined;
  return [
    { type: 'article', payload: { title: best.title.slice(0, 200), excerpt: excerptOf(best.text), url: knowledge.urlOf(companyId, best.articleId) } },
    { type: 'text', payload: { text: 'Did that answer your question?' } },
    {
      type: 'button_options',
      payload: {
        options: [
          { label: 'Yes', value: `${HELPFUL_ACTION}${best.articleId}`.slice(0, 200) },
          { label: 'No, talk to a person', value: HANDOFF_ACTION },
        ],
      },
    },
  ];
}

/** The reply to "Yes, that answered it". */
export function helpfulReply(): Component[] {
  return [{ type: 'text', payload: { text: 'Great, glad I could help!' } }];
}

/** A flow's `search` step found nothing confident: say so and offer a person. */
export function noArticleFound(): Component[] {
  return [
    { type: 'text', payload: { text: "Sorry, I couldn't find an answer to that in our help articles." } },
    { type: 'button_options', payload: { options: [{ label: 'Talk to a person', value: HANDOFF_ACTION }] } },
  ];
}

/** The articles an AI answer cites (`[1]` …), as links (`article` components without an excerpt). */
export function citations(answer: string, sources: readonly KnowledgeHit[], knowledge: KnowledgeHooks, companyId: string): Component[] {
  const seen = new Set<string>();
  const out: Component[] = [];
  for (const n of citedSources(answer, sources.length)) {
    const source = sources[n - 1]!;
    if (seen.has(source.articleId)) continue;
    seen.add(source.articleId);
    out.push({ type: 'article', payload: { title: source.title.slice(0, 200), excerpt: '', url: knowledge.urlOf(companyId, source.articleId) } });
  }
  return out;
}
