import { contentWords, phraseWords, stem, SYNONYM_WEIGHT, synonymsOf, words, type QueryTerm } from './query.js';
import type { ArticleStore, IndexedPassage } from './store.js';
import type { Candidate, KnowledgeHit } from './types.js';

/**
 * The confidence an answer needs by default. Chosen with `pnpm eval` (bench/knowledge) on the
 * tuning half only: the most right minus wrong answers with questions that have no right article
 * answered at most 1 time in 10 (there: none); then checked once on the held-out half (none
 * answered either). docs/knowledge.md has the figures.
 */
export const DEFAULT_THRESHOLD = 0.45;

/** Passages the full-text index hands to re-ranking. */
const CANDIDATES = 40;
/** How long a company's vocabulary is trusted before its version is checked again (other processes may write). */
const RECHECK_MS = 2000;
/** Weight of a word put right ("shiping" → "shipping") next to one typed right. */
const CORRECTED_WEIGHT = 0.8;
/** Part of the ranking that BM25 decides; the rest is how much of the question a passage covers. */
const BM25_SHARE = 0.2;
/** Extra weight of question words found in the title or heading over those found in the body. */
const TITLE_SHARE = 0.25;
/** Weight of a question word the articles lack entirely (no fix, no synonym) next to its IDF. */
const UNKNOWN_WEIGHT = 2;
/** Part of an article's score from all its matching passages together (the rest: its best passage). */
const ARTICLE_SHARE = 0.5;

/** One deletion of each character: the keys of the typo index (one edit away). */
function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/**
 * What a company's published articles say, as search needs it: how many passages hold each stem
 * (for IDF), a word for each stem (to search it with), and a one-edit typo index of its words.
 */
export class Vocabulary {
  readonly df = new Map<string, number>();
  private readonly wordOfStem = new Map<string, string>();
  private readonly words = new Set<string>();
  private readonly deletes = new Map<string, string[]>();
  readonly passages: number;

  constructor(passages: readonly IndexedPassage[]) {
    this.passages = passages.length;
    for (const p of passages) {
      const stems = new Set<string>();
      for (const word of words(`${p.title} ${p.heading} ${p.text}`)) {
        const s = stem(word);
        stems.add(s);
        if (!this.words.has(word)) {
          this.words.add(word);
          if (!this.wordOfStem.has(s)) this.wordOfStem.set(s, word);
          if (word.length >= 4 && word.length <= 24) {
            for (const d of deletions(word)) {
              const list = this.deletes.get(d);
              if (list) list.push(word);
              else this.deletes.set(d, [word]);
            }
          }
        }
      }
      for (const s of stems) this.df.set(s, (this.df.get(s) ?? 0) + 1);
    }
  }

  /** Inverse document frequency of a stem; a stem no passage has gets the highest. */
  idf(s: string): number {
    return Math.log(1 + this.passages / (this.df.get(s) ?? 1));
  }

  /** A word of the articles that the tokenizer stems to `s`, if any. */
  wordFor(s: string): string | undefined {
    return this.wordOfStem.get(s);
  }

  /**
   * The articles' word one edit (insertion, deletion, substitution, transposition) from a
   * misspelled word, the most common one when several are; undefined when none or too short.
   */
  correct(word: string): string | undefined {
    if (word.length < 4 || word.length > 24) return undefined;
    const found = new Set<string>();
    for (const w of this.deletes.get(word) ?? []) found.add(w);
    for (const d of deletions(word)) {
      if (this.words.has(d) && d.length >= 3) found.add(d);
      for (const w of this.deletes.get(d) ?? []) found.add(w);
    }
    let best: string | undefined;
    let bestDf = 0;
    for (const w of found) {
      // People seldom mistype a word's first letter; "reach" is not a typo of "each".
      if (w[0] !== word[0]) continue;
      const df = this.df.get(stem(w)) ?? 0;
      if (df > bestDf) [best, bestDf] = [w, df];
    }
    return best;
  }
}

/** A question turned into terms: one group per meaningful typed word (the word, its fixes and synonyms). */
export interface AnalyzedQuestion {
  terms: QueryTerm[];
  /** IDF of each group's typed word: how much finding that word counts. */
  groupIdf: number[];
  /**
   * How much each group weighs in the coverage: its IDF, and more for a word the articles do not
   * have at all (no fix, no synonym), which no article can cover.
   */
  groupWeight: number[];
}

/** Turns a question into weighted terms against the company's vocabulary. */
export function analyze(question: string, vocab: Vocabulary): AnalyzedQuestion {
  const terms: QueryTerm[] = [];
  const groupIdf: number[] = [];
  const groupWeight: number[] = [];
  const phrased = phraseWords(question);
  for (const { word, stem: s, weight: importance } of contentWords(question)) {
    const group = groupIdf.length;
    let base = s;
    if (vocab.df.has(s)) {
      terms.push({ stem: s, word, weight: 1, group });
    } else if (!synonymsOf(s).some((syn) => vocab.df.has(syn))) {
      // A word the articles lack is put right only when none of its synonyms stands in for it.
      const fixed = vocab.correct(word);
      if (fixed) {
        base = stem(fixed);
        terms.push({ stem: base, word: fixed, weight: CORRECTED_WEIGHT, group });
      }
    }
    groupIdf.push(vocab.idf(base) * importance);
    for (const syn of synonymsOf(base)) {
      const w = vocab.wordFor(syn);
      if (w) terms.push({ stem: syn, word: w, weight: SYNONYM_WEIGHT, group });
    }
    // Only a word the visitor typed, and not one a phrase stands for ("long" in "how long").
    const unknown = importance === 1 && !phrased.has(word) && !terms.some((t) => t.group === group);
    groupWeight.push(groupIdf[group]! * (unknown ? UNKNOWN_WEIGHT : 1));
  }
  return { terms, groupIdf, groupWeight };
}

/** Share of a company's passages above which a term is too common to pick candidates by. */
const COMMON_SHARE = 0.05;
/** Below this many passages every term picks candidates (a small help center is cheap to score whole). */
const PRUNE_FROM = 5000;
/** Words the index is asked for at most. */
const MAX_SEARCH_WORDS = 12;

/**
 * The words to ask the index for: the rarer terms first, and no term that a large share of the
 * passages hold while a rarer one is there to pick candidates by (a common term still counts in
 * the re-ranking). Each common term would make the index score thousands of passages for little.
 */
export function searchTerms(query: AnalyzedQuestion, vocab: Vocabulary): string[] {
  const byRarity = [...query.terms].sort((a, b) => (vocab.df.get(a.stem) ?? 0) - (vocab.df.get(b.stem) ?? 0));
  if (vocab.passages < PRUNE_FROM) return [...new Set(byRarity.map((t) => t.word))].slice(0, MAX_SEARCH_WORDS * 2);
  const common = vocab.passages * COMMON_SHARE;
  const rare = byRarity.filter((t) => (vocab.df.get(t.stem) ?? 0) <= common);
  const picked = rare.length ? rare : byRarity.slice(0, 2);
  return [...new Set(picked.map((t) => t.word))].slice(0, MAX_SEARCH_WORDS);
}

/**
 * The share (0..1) of a question's meaning a text covers: each typed word counts by its IDF, in
 * full when the text has it, in part when it has only a fix or a synonym of it.
 */
function coverage(query: AnalyzedQuestion, stems: Set<string>): number {
  const matched = new Array<number>(query.groupIdf.length).fill(0);
  for (const term of query.terms) if (stems.has(term.stem)) matched[term.group] = Math.max(matched[term.group]!, term.weight);
  let got = 0;
  let total = 0;
  query.groupWeight.forEach((weight, i) => {
    got += weight * matched[i]!;
    total += weight;
  });
  return total > 0 ? got / total : 0;
}

const stemsOf = (text: string) => new Set(words(text).map(stem));

/**
 * Finds the passages that answer a question. FTS5 (BM25 over title, heading and body) picks
 * candidates for any of the question's terms; they are re-ranked by how much of the question
 * they cover (IDF-weighted, the title and heading counting extra) with BM25 breaking near-ties,
 * and the best passage of each article is kept. The coverage is the confidence the bot compares
 * with its threshold.
 */
export class Retriever {
  private readonly cache = new Map<string, { version: string; checkedAt: number; vocab: Promise<Vocabulary> }>();

  constructor(private readonly store: ArticleStore) {}

  /** Forgets a company's vocabulary (its articles changed in this process). */
  invalidate(companyId: string): void {
    this.cache.delete(companyId);
  }

  /** The company's vocabulary, built once and rebuilt when its published articles change. */
  async vocabulary(companyId: string): Promise<Vocabulary> {
    const cached = this.cache.get(companyId);
    const now = Date.now();
    if (cached && now - cached.checkedAt < RECHECK_MS) return cached.vocab;
    const version = await this.store.publishedVersion(companyId);
    if (cached && cached.version === version) {
      cached.checkedAt = now;
      return cached.vocab;
    }
    const vocab = this.store.passages(companyId).then((passages) => new Vocabulary(passages));
    this.cache.set(companyId, { version, checkedAt: now, vocab });
    vocab.catch(() => this.cache.delete(companyId));
    return vocab;
  }

  /** The best passages for a question, one per article, best first, with their confidence. */
  async search(companyId: string, question: string, limit = 3): Promise<KnowledgeHit[]> {
    const vocab = await this.vocabulary(companyId);
    if (vocab.passages === 0) return [];
    const query = analyze(question, vocab);
    const searchWords = searchTerms(query, vocab);
    const candidates = await this.store.searchPassages(companyId, searchWords, CANDIDATES);
    return rerank(query, candidates, limit);
  }
}

/**
 * Orders candidates and keeps each article's best passage. An article's score mixes how much of
 * the question its best passage covers and how much all its matching passages cover together (a
 * question's words are often spread over an article's title and two paragraphs), the title and
 * heading counting extra; BM25 breaks near-ties.
 */
export function rerank(query: AnalyzedQuestion, candidates: readonly Candidate[], limit: number): KnowledgeHit[] {
  if (candidates.length === 0) return [];
  const best = Math.min(...candidates.map((c) => c.rank));
  const byArticle = new Map<string, { stems: Set<string>; passages: Array<{ c: Candidate; score: number; bm25: number }> }>();
  for (const c of candidates) {
    const head = stemsOf(`${c.title} ${c.heading}`);
    const all = stemsOf(`${c.title} ${c.heading} ${c.text}`);
    const score = (1 - TITLE_SHARE) * coverage(query, all) + TITLE_SHARE * coverage(query, head);
    let article = byArticle.get(c.articleId);
    if (!article) byArticle.set(c.articleId, (article = { stems: new Set(), passages: [] }));
    for (const s of all) article.stems.add(s);
    article.passages.push({ c, score, bm25: best < 0 ? c.rank / best : 0 });
  }
  const ranked = [...byArticle.values()].map(({ stems, passages }) => {
    passages.sort((a, b) => b.score + BM25_SHARE * b.bm25 - (a.score + BM25_SHARE * a.bm25));
    const top = passages[0]!;
    const score = (1 - ARTICLE_SHARE) * top.score + ARTICLE_SHARE * coverage(query, stems);
    const bm25 = Math.max(...passages.map((p) => p.bm25));
    return { top: top.c, score, key: (1 - BM25_SHARE) * score + BM25_SHARE * bm25 };
  });
  ranked.sort((a, b) => b.key - a.key);
  return ranked.slice(0, limit).map(({ top, score }) => ({
    articleId: top.articleId,
    title: top.title,
    heading: top.heading,
    text: top.text || top.title,
    score: Math.round(score * 1000) / 1000,
  }));
}
