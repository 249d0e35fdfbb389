import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * TEMPORARY: files whose raw SQL is being converted to Kysely on another branch. The list goes
 * away (empty) when that branch is merged; nothing may be added to it.
 */
const NOT_YET_CONVERTED: readonly string[] = [];

/** A comment on the line, or the line above, that says why raw SQL is needed here. */
const EXPLAINED = /\/\/\s*raw SQL:\s*\S/;

/** A string or `sql` template that is a whole SQL statement (upper-case keyword first, as SQL is written here). */
const STATEMENT = /^\s*(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH|CREATE|DROP|ALTER|PRAGMA|VACUUM|ANALYZE|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|ATTACH|DETACH)\s/;

/** better-sqlite3 calls that take SQL text. */
const SQL_METHODS = new Set(['prepare', 'exec', 'pragma']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function isStringLike(node: ts.Node | undefined): boolean {
  return !!node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node));
}

function textOf(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  return undefined;
}

/**
 * Where a file writes SQL by hand: a string or `sql` template that is a whole statement, or SQL
 * handed straight to the SQLite connection (`prepare`, `exec`, `pragma`). Comments are not code,
 * so SQL quoted in a doc comment is not counted; `RegExp#exec` is not counted either.
 */
function rawSqlLines(code: string, fileName = 'file.ts'): number[] {
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  const lines = new Set<number>();
  const mark = (node: ts.Node) => lines.add(file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1);
  const visit = (node: ts.Node): void => {
    const text = textOf(node);
    if (text !== undefined && STATEMENT.test(text)) mark(node);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && SQL_METHODS.has(node.expression.name.text)) {
      // Other objects have these methods too (`RegExp#exec`, `handoff.prepare`): it counts when it
      // is given SQL text, or called on the connection.
      const [first] = node.arguments;
      const sqlText = isStringLike(first) || (!!first && /sql$/i.test(first.getText(file)));
      const onConnection = /sqlite$/i.test(node.expression.expression.getText(file));
      if (sqlText || onConnection) mark(node.expression.name);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  const source = code.split('\n');
  return [...lines].filter((line) => !EXPLAINED.test(source[line - 1] ?? '') && !EXPLAINED.test(source[line - 2] ?? '')).sort((a, b) => a - b);
}

describe('raw SQL', () => {
  it('is found in statements, sql templates and calls on the connection, but not in comments or regular expressions', () => {
    const code = [
      "const a = sqlite.prepare('SELECT 1');", // 1
      "const b = /x/.exec(text); // SELECT in a comment", // 2
      '/** `INSERT INTO t` in a doc comment */', // 3
      'await sql`DELETE FROM t WHERE id = ${id}`.execute(db);', // 4
      "db.where(sql<boolean>`title LIKE ${q} ESCAPE '\\\\'`);", // 5
      "sqlite.exec('VACUUM');", // 6
      "// raw SQL: FTS5 MATCH has no Kysely syntax", // 7
      'const search = `', // 8
      '  SELECT rowid FROM t_fts WHERE t_fts MATCH ?`;', // 9
      "sqlite.pragma('foreign_keys = ON');", // 10
      "const label = 'Select a plan';", // 11
      "const methods = ['GET', 'DELETE'];", // 12
      'const request = this.handoff.prepare(conversation, handoff);', // 13
      'const statement = this.sqlite.prepare(compiled.sql);', // 14
    ].join('\n');
    expect(rawSqlLines(code)).toEqual([1, 4, 6, 10, 14]);
  });

  it('stays inside src/db/ (the connection, prepared queries and migrations), unless a comment says why', () => {
    const found: string[] = [];
    for (const path of sourceFiles(SRC)) {
      const name = relative(SRC, path).split(sep).join('/');
      if (name.startsWith('db/') || NOT_YET_CONVERTED.includes(name)) continue;
      for (const line of rawSqlLines(readFileSync(path, 'utf8'), name)) found.push(`src/${name}:${line}`);
    }
    expect(found, 'Write these queries with Kysely (prepareQuery for hot paths), or say why not with `// raw SQL: <why>`').toEqual([]);
  });

  it('lists only files that still need it as not yet converted', () => {
    const clean = NOT_YET_CONVERTED.filter((name) => rawSqlLines(readFileSync(join(SRC, name), 'utf8'), name).length === 0);
    expect(clean, 'These files have no raw SQL left: take them off NOT_YET_CONVERTED').toEqual([]);
  });
});
