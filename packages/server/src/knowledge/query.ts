import { stemmer } from 'stemmer';

/*
 * What a visitor typed, turned into weighted search terms. Pure code: the same tokens and stems
 * as the FTS5 tokenizer (`porter unicode61 remove_diacritics 2`), so a term found here is a term
 * of the index.
 */

const WORD = /[\p{L}\p{N}]+/gu;

/** Lowercase words with accents folded, as `unicode61 remove_diacritics 2` cuts them. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(WORD) ?? []
  );
}

/** The index's form of a word: Porter's stem for ASCII words (as SQLite's `porter` does), else the word. */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = /^[a-z]+$/.test(word) && word.length > 2 ? stemmer(word) : word;
    if (stems.size >= MAX_MEMO) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/** Stems of words seen, shared by every company (a word stems the same everywhere). */
const stems = new Map<string, string>();
const MAX_MEMO = 200_000;

/**
 * Words that say nothing about the topic: English, German, French and Spanish function words and
 * the small talk people wrap a question in ("hi, can you tell me please ...").
 */
const STOPWORDS = new Set(
  `a about above after again all also am an and any are as at be because been before being below between both but by can
  cannot could did do does doing done down during each either else ever every few for from further get gets getting got had
  has have having he her here hers him his how i if in into is it its itself just let me might more most much must my
  myself no nor not now of off on once only or other our ours out over own please same she should so some still such than
  thank thanks that the their them then there these they this those through to too under until up upon us very want wanted
  was we were what whats when where which while who whom why will with would you your yours yourself hi hello hey dear
  there im ive id dont doesnt didnt cant wont isnt arent tell know need like help question ok okay yes yeah pls plz u ur
  r one anyone something thing things way really actually maybe guys team take taking took get got getting
  der die das den dem des ein eine einen einem einer ich du er sie es wir ihr mein meine meinen mir mich dir dich ist sind
  war habe hat haben kann koennen konnen wie was wo wann warum und oder aber nicht kein keine mit fur von zu zum zur bei auf
  aus an im in ob bitte danke hallo gibt man noch schon auch so da dass
  le la les un une des du de au aux je tu il elle nous vous ils elles mon ma mes ton ta votre vos est sont suis ai avez
  peut peux puis pouvez comment quoi quand pourquoi ou et mais pas ne ce cette ces qui que pour par avec sur dans en y
  bonjour merci svp est-ce
  el los las una unos unas yo tu mi mis su sus es son estoy tengo tiene puedo puede como que cuando donde por para con sin
  sobre en del al y o pero no hola gracias favor se lo le`.split(/\s+/),
);

/**
 * Everyday words for the same thing in a shop's support questions. A word of a group also
 * searches its other words (at a lower weight), so "when will my parcel arrive" finds "Delivery
 * times". General shop vocabulary, written once for every company; not tuned to any test set.
 */
const SYNONYM_GROUPS: string[][] = [
  ['ship', 'shipping', 'shipment', 'deliver', 'delivery', 'dispatch', 'send', 'sent', 'post', 'postage', 'courier', 'parcel', 'package', 'arrive'],
  ['return', 'refund', 'reimburse', 'money', 'back'],
  ['exchange', 'swap', 'replace', 'replacement'],
  ['pay', 'payment', 'checkout', 'charge', 'charged', 'billing', 'bill', 'invoice', 'receipt'],
  ['card', 'credit', 'debit', 'visa', 'mastercard', 'amex'],
  ['account', 'profile', 'login', 'log', 'signin', 'sign', 'register', 'registration', 'signup'],
  ['password', 'passcode', 'reset', 'forgot', 'forgotten'],
  ['cancel', 'cancellation', 'cancelled', 'canceled', 'stop'],
  ['price', 'cost', 'costs', 'fee', 'fees', 'expensive', 'cheap', 'much'],
  ['track', 'tracking', 'trace', 'status', 'where'],
  ['broken', 'broke', 'damaged', 'damage', 'defective', 'defect', 'faulty', 'cracked', 'smashed', 'dented', 'torn', 'ripped'],
  ['size', 'sizing', 'fit', 'fits', 'small', 'large', 'big'],
  ['discount', 'coupon', 'promo', 'promotion', 'voucher', 'code', 'sale'],
  ['international', 'abroad', 'overseas', 'worldwide', 'country', 'countries', 'foreign', 'europe'],
  ['late', 'delay', 'delayed', 'slow', 'waiting', 'lost', 'still', 'yet', 'never'],
  ['change', 'modify', 'edit', 'update', 'correct', 'amend'],
  ['address', 'postcode', 'redirect'],
  ['warranty', 'guarantee', 'repair'],
  ['gift', 'present'],
  ['contact', 'phone', 'call', 'email', 'reach', 'support', 'service', 'chat', 'talk'],
  ['delete', 'remove', 'close', 'erase', 'gdpr'],
  ['newsletter', 'unsubscribe', 'emails', 'marketing', 'spam'],
  ['wrong', 'incorrect', 'missing', 'mistake', 'error'],
  ['store', 'shop', 'location', 'branch', 'pickup', 'collect'],
  ['stock', 'available', 'availability', 'restock', 'sold', 'soldout'],
  ['order', 'purchase', 'bought', 'buy'],
  ['fast', 'express', 'quick', 'quickly', 'urgent', 'overnight', 'tomorrow', 'asap'],
  ['free', 'threshold', 'minimum'],
  ['secure', 'security', 'safe', 'fraud', 'hacked', 'hack', 'scam', 'phishing', 'suspicious', 'unauthorised', 'unauthorized', 'stolen'],
  ['clean', 'wash', 'washing', 'care', 'laundry'],
  ['material', 'fabric', 'cotton', 'made', 'sustainable', 'recycled', 'organic', 'eco'],
  ['loyalty', 'points', 'rewards', 'reward', 'bonus', 'member', 'membership'],
  ['currency', 'currencies', 'dollar', 'dollars', 'euro', 'euros', 'pounds', 'usd'],
  ['deadline', 'window', 'period', 'within', 'limit'],
  ['twice', 'double', 'duplicate', 'doubled'],
  ['several', 'separate', 'multiple', 'partial', 'half', 'split', 'boxes'],
  ['business', 'company', 'corporate', 'bulk', 'wholesale', 'volume'],
  ['locker', 'lockers', 'packstation'],
  ['hours', 'open', 'opening', 'closing'],
  // German, French and Spanish: the same ideas in the languages a help center is often written in.
  ['versand', 'lieferung', 'liefern', 'lieferzeit', 'zustellung', 'paket', 'versandkosten'],
  ['rucksendung', 'zuruckschicken', 'zurucksenden', 'retoure', 'erstattung', 'erstatten', 'geld', 'umtausch'],
  ['zahlung', 'zahlen', 'bezahlen', 'zahlungsarten', 'kreditkarte', 'rechnung'],
  ['livraison', 'livrer', 'expedition', 'envoi', 'colis'],
  ['retour', 'retourner', 'rembourser', 'remboursement', 'rembourse'],
  ['envio', 'envios', 'enviar', 'entrega', 'enviamos'],
  ['devolucion', 'devoluciones', 'devolver', 'devuelvo', 'reembolso'],
];

/**
 * Phrases whose words are stopwords or vague one by one but ask something definite together
 * ("how long" asks for a time). Their meaning joins the question at half weight.
 */
const PHRASES: Array<[RegExp, string]> = [
  [/\bhow (?:long|many days|soon)\b/, 'days time'],
  [/\bhow much\b/, 'cost price'],
  [/\bmoney back\b/, 'refund'],
  [/\b(?:send|sent|sending|give|bring) (?:it |them |this |stuff |something |\w+ )?back\b/, 'return'],
  [/\b(?:log|sign|logged|signed) ?in\b/, 'login'],
  [/\bsign ?up\b/, 'account'],
  [/\bpick ?up\b/, 'collect'],
  [/\bchanged? my mind\b/, 'cancel'],
  [/\bsold out\b/, 'stock'],
  [/\b(?:has ?n[o']?t|hasnt|did ?n[o']?t|didnt|never) (?:come|came|arrived?|shown up|turned up)\b/, 'late arrive'],
  [/\b(?:does ?n[o']?t|doesnt|wo ?n[o']?t|wont|stopped) work(?:ing)?\b/, 'faulty'],
  [/\bwhere is\b/, 'track'],
];

const SYNONYMS = new Map<string, string[]>();
for (const group of SYNONYM_GROUPS) {
  const stems = [...new Set(group.filter((w) => !STOPWORDS.has(w)).map(stem))];
  for (const s of stems) SYNONYMS.set(s, [...new Set([...(SYNONYMS.get(s) ?? []), ...stems.filter((o) => o !== s)])]);
}

/** Weight of a synonym next to the word the visitor typed. */
export const SYNONYM_WEIGHT = 0.5;

/** One search term: a stem of the index, the word that searches it, and how much it counts. */
export interface QueryTerm {
  stem: string;
  /** The word to put in the FTS query (the tokenizer stems it to `stem`). */
  word: string;
  weight: number;
  /** The typed word this term stands for: the typed term and its synonyms share it. */
  group: number;
}

/** Words a query keeps at most (a pasted essay is not searched word by word). */
export const MAX_QUERY_WORDS = 24;

/**
 * The typed words that carry meaning, in order, without duplicates: function words dropped, each
 * word with its stem. Falls back to every word when all of them are stopwords ("how do I?").
 */
export function contentWords(text: string): Array<{ word: string; stem: string; weight: number }> {
  const all = words(text).slice(0, 200);
  const kept = all.filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d/.test(w)));
  const joined = ` ${all.join(' ')} `;
  const implied = PHRASES.flatMap(([phrase, meaning]) => (phrase.test(joined) ? meaning.split(' ') : []));
  const seen = new Set<string>();
  const out: Array<{ word: string; stem: string; weight: number }> = [];
  for (const [i, word] of [...kept, ...implied].entries()) {
    const s = stem(word);
    if (seen.has(s)) continue;
    seen.add(s);
    out.push({ word, stem: s, weight: i < kept.length ? 1 : PHRASE_WEIGHT });
    if (out.length >= MAX_QUERY_WORDS) break;
  }
  return out;
}

/**
 * The typed words that are part of a phrase the question has ("long" in "how long"): their
 * meaning is what the phrase implies, so the articles lacking the word itself says little.
 */
export function phraseWords(text: string): Set<string> {
  const joined = ` ${words(text).slice(0, 200).join(' ')} `;
  const out = new Set<string>();
  for (const [phrase] of PHRASES) {
    const found = joined.match(new RegExp(phrase.source, 'g'));
    for (const match of found ?? []) for (const w of match.split(' ')) if (w) out.add(w);
  }
  return out;
}

/** Weight of what a phrase implies next to a word the visitor typed. */
const PHRASE_WEIGHT = 0.5;

/** The synonyms (as stems) of a stem. */
export function synonymsOf(s: string): readonly string[] {
  return SYNONYMS.get(s) ?? [];
}
