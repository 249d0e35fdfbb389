import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer } from '../../src/server.js';
import { DEFAULT_THRESHOLD } from '../../src/knowledge/retriever.js';
import type { ArticleInput, KnowledgeHit } from '../../src/knowledge/types.js';
import { benchArgs } from '../lib/command-line.js';

/**
 * `pnpm eval`: the knowledge base's retrieval evaluation.
 *
 * 1. Quality: the 50 articles of a fictional shop (articles.json: shipping, returns, payments,
 *    accounts, products; a few in German, French and Spanish) and 215 visitor questions
 *    (questions.json) written the way people type, each labelled with its right article or with
 *    null when no article answers it. Reports top-1 and top-3 accuracy, and at a threshold how
 *    many questions get a right answer, a wrong one, and how many with no right article are
 *    answered anyway (false answers). The threshold is picked on the tuning half (even lines) and
 *    checked on the held-out half (odd lines).
 * 2. Latency: the same questions against a company with 10,000 articles (the shop's and generated
 *    ones), after one warm-up pass; p50 and p99 of the whole search (SQL and re-ranking).
 *
 * Flags: --articles N (size of the latency company, default 10000), --threshold T (report at T
 * instead of the default), --verbose (print every miss).
 */
const { values } = parseArgs({
  args: benchArgs(),
  options: { articles: { type: 'string', default: '10000' }, threshold: { type: 'string' }, verbose: { type: 'boolean', default: false } },
});

interface EvalArticle extends ArticleInput {
  id: string;
}
type Question = [string, string | null];

const here = new URL('.', import.meta.url);
const articles = JSON.parse(readFileSync(new URL('articles.json', here), 'utf8')) as EvalArticle[];
const questions = JSON.parse(readFileSync(new URL('questions.json', here), 'utf8')) as Question[];

const dir = mkdtempSync(join(tmpdir(), 'parley-eval-'));
const app = await buildServer({ dataDir: dir, logLevel: 'silent', adminEmail: 'eval@parley.test', adminPassword: 'eval-password-1' });

try {
  const company = app.companies.defaultCompany().id;
  const created = await app.knowledge.create(company, articles.map(({ title, body, category }) => ({ title, body, category, status: 'published' as const })));
  const idOf = new Map(created.map((a, i) => [a.id, articles[i]!.id]));

  const results: Array<{ question: string; label: string | null; hits: Array<{ id: string; score: number }>; split: 'tune' | 'held-out' }> = [];
  for (const [i, [question, label]] of questions.entries()) {
    const hits = await app.knowledge.search(company, question, 3);
    results.push({ question, label, hits: hits.map((h: KnowledgeHit) => ({ id: idOf.get(h.articleId)!, score: h.score })), split: i % 2 === 0 ? 'tune' : 'held-out' });
  }

  const measure = (rows: typeof results, threshold: number) => {
    const answerable = rows.filter((r) => r.label !== null);
    const none = rows.filter((r) => r.label === null);
    const confident = (r: (typeof rows)[number]) => (r.hits[0]?.score ?? 0) >= threshold;
    return {
      questions: answerable.length,
      noAnswerQuestions: none.length,
      top1: answerable.filter((r) => r.hits[0]?.id === r.label).length / answerable.length,
      top3: answerable.filter((r) => r.hits.some((h) => h.id === r.label)).length / answerable.length,
      answeredRight: answerable.filter((r) => confident(r) && r.hits[0]!.id === r.label).length / answerable.length,
      answeredWrong: answerable.filter((r) => confident(r) && r.hits[0]!.id !== r.label).length / answerable.length,
      falseAnswers: none.filter(confident).length / Math.max(1, none.length),
    };
  };

  // Threshold: the one that answers the most tuning questions rightly with at most 10 % false answers.
  const tune = results.filter((r) => r.split === 'tune');
  const held = results.filter((r) => r.split === 'held-out');
  let best = { threshold: 1, right: -1 };
  for (let t = 0.2; t <= 0.951; t += 0.025) {
    const m = measure(tune, t);
    const falseRate = m.falseAnswers + m.answeredWrong;
    if (m.falseAnswers <= 0.1 && m.answeredRight - m.answeredWrong > best.right && falseRate < 0.5) best = { threshold: Math.round(t * 1000) / 1000, right: m.answeredRight - m.answeredWrong };
  }
  const threshold = values.threshold !== undefined ? Number(values.threshold) : DEFAULT_THRESHOLD;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const row = (name: string, m: ReturnType<typeof measure>) =>
    `${name.padEnd(10)} ${String(m.questions).padStart(4)} ${String(m.noAnswerQuestions).padStart(5)}  ${m.top1.toFixed(3).padStart(6)} ${m.top3.toFixed(3).padStart(6)}  ${pct(m.answeredRight).padStart(8)} ${pct(m.answeredWrong).padStart(8)} ${pct(m.falseAnswers).padStart(8)}`;

  console.log(`Retrieval: ${articles.length} articles, ${questions.length} questions (${results.filter((r) => r.label === null).length} with no right article)`);
  console.log(`Threshold in use ${threshold} (default ${DEFAULT_THRESHOLD}); best on the tuning half: ${best.threshold}\n`);
  console.log('split         Qs  none   top-1  top-3  answered    wrong    false');
  console.log(row('tune', measure(tune, threshold)));
  console.log(row('held-out', measure(held, threshold)));
  console.log(row('all', measure(results, threshold)));
  // The sweep shows the tuning half only: the threshold is chosen there, never on the held-out half.
  console.log('\nAt other thresholds (tuning half):');
  for (const t of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]) console.log(row(`t=${t}`, measure(tune, t)));

  if (values.verbose) {
    console.log('\nMisses (top-1 wrong) and false answers:');
    for (const r of values.verbose === true && process.env.KB_SPLIT ? results.filter((x) => x.split === process.env.KB_SPLIT) : results) {
      const top = r.hits[0];
      if (r.label !== null && top?.id !== r.label) console.log(`  MISS  ${r.question}  → ${top?.id ?? '-'} (${top?.score ?? 0}) want ${r.label}${r.hits.some((h) => h.id === r.label) ? ' [top-3]' : ''}`);
      if (r.label === null && (top?.score ?? 0) >= threshold) console.log(`  FALSE ${r.question}  → ${top?.id} (${top?.score})`);
    }
  }

  // Latency with a large help center.
  const total = Number(values.articles);
  if (total <= articles.length) process.exit(0);
  const big = (await app.companies.create({ name: 'Large help center' })).company.id;
  // Generated articles read like text statistically: words drawn from a Zipf distribution (the
  // k-th most common word is k times rarer than the first) over a 30,000-word vocabulary in which
  // the shop's own words sit at random ranks, so a word like "order" is common and "klarna" rare.
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const shopWords = [...new Set(articles.flatMap((a) => `${a.title} ${a.body}`.toLowerCase().match(/[a-z]{3,}/g) ?? []))];
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'be', 'da', 'fe', 'gi', 'po', 'ze', 'an', 'er', 'ol', 'un'];
  const vocabulary: string[] = [];
  for (let i = 0; vocabulary.length < 30_000 - shopWords.length; i++) {
    let w = '';
    for (let n = i; w.length < 6 || n > 0; n = Math.floor(n / syllables.length)) w += syllables[n % syllables.length];
    vocabulary.push(w);
  }
  for (const w of shopWords) vocabulary.splice(Math.floor(random() * vocabulary.length), 0, w);
  const harmonic: number[] = [];
  vocabulary.reduce((sum, _, k) => (harmonic[k] = sum + 1 / (k + 1)), 0);
  const zipf = () => {
    const x = random() * harmonic.at(-1)!;
    let lo = 0;
    let hi = harmonic.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (harmonic[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  const pick = (n: number) => Array.from({ length: n }, zipf).join(' ');
  const generated: ArticleInput[] = [];
  for (let i = generated.length; i < total - articles.length; i++) {
    const paragraphs = Array.from({ length: 3 }, () => `${pick(25)}.`);
    generated.push({ title: `${pick(4)} ${i}`, body: `${paragraphs[0]}\n\n## ${pick(3)}\n${paragraphs[1]}\n\n## ${pick(3)}\n${paragraphs[2]}`, category: 'Generated', status: 'published' });
  }
  const loadStart = performance.now();
  for (let i = 0; i < generated.length; i += 1000) await app.knowledge.create(big, generated.slice(i, i + 1000));
  await app.knowledge.create(big, articles.map(({ title, body, category }) => ({ title, body, category, status: 'published' as const })));
  const loadMs = performance.now() - loadStart;
  const warmStart = performance.now();
  await app.knowledge.search(big, 'warm up the vocabulary', 3);
  const warmMs = performance.now() - warmStart;
  for (const [q] of questions) await app.knowledge.search(big, q, 3);
  // Wall time is what a visitor waits; CPU time is the work itself, what a busy shared machine
  // (other processes taking turns on the cores) cannot inflate.
  const times: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const [q] of questions) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      await app.knowledge.search(big, q, 3);
      const used = process.cpuUsage(cpuStarted);
      cpu.push((used.user + used.system) / 1000);
      times.push(performance.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const at = (p: number, list = times) => list[Math.min(list.length - 1, Math.floor(p * list.length))]!;
  console.log(`\nLatency with ${total} articles (${times.length} searches; indexing took ${(loadMs / 1000).toFixed(1)} s, first search building the vocabulary ${warmMs.toFixed(0)} ms):`);
  console.log(`  wall: p50 ${at(0.5).toFixed(2)} ms   p99 ${at(0.99).toFixed(2)} ms   max ${times.at(-1)!.toFixed(2)} ms`);
  console.log(`  CPU:  p50 ${at(0.5, cpu).toFixed(2)} ms   p99 ${at(0.99, cpu).toFixed(2)} ms   (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);
  const all = measure(results, threshold);
  const ok = all.top3 >= 0.9 && all.falseAnswers <= 0.1 && at(0.99) < 20;
  console.log(`\nTargets: top-3 >= 0.9 (${all.top3.toFixed(3)}), false answers <= 0.1 (${all.falseAnswers.toFixed(3)}), p99 < 20 ms (${at(0.99).toFixed(2)}): ${ok ? 'met' : 'MISSED'}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
