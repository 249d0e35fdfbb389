// Writes dist/protocol.d.ts: the wire types the widget's API mentions, spelled out in full from
// @parley/protocol's schemas, so the published types need neither that package nor its schema
// library. Run by build.js after tsc.
import { writeFileSync } from 'node:fs';
import ts from 'typescript';

/** The declarations of `src/protocol.ts`, with every type expanded to plain TypeScript. */
export function writeProtocolTypes(root) {
  const file = `${root}/src/protocol.ts`;
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ['source'],
    lib: ['lib.es2023.d.ts'],
    types: [],
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;
  const lines = [
    '// Generated from @parley/protocol by scripts/protocol-types.js: the wire types the widget uses.',
    '// The schemas (and their documentation) are in @parley/protocol; these are their static types.',
  ];
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)));
  for (const symbol of exported.sort((a, b) => a.name.localeCompare(b.name))) {
    const target = checker.getAliasedSymbol(symbol);
    const declaration = target.declarations?.[0];
    if (declaration && ts.isFunctionDeclaration(declaration)) {
      const signature = checker.getSignatureFromDeclaration(declaration);
      lines.push(`export declare function ${symbol.name}${checker.signatureToString(signature, undefined, ts.TypeFormatFlags.NoTruncation).replace(/\): /, '): ')};`);
    } else if (target.flags & ts.SymbolFlags.Variable && !(target.flags & ts.SymbolFlags.TypeAlias)) {
      const type = checker.getTypeOfSymbolAtLocation(target, declaration);
      lines.push(`export declare const ${symbol.name}: ${checker.typeToString(type, undefined, flags)};`);
    } else {
      const type = checker.getDeclaredTypeOfSymbol(target);
      lines.push(`export type ${symbol.name} = ${checker.typeToString(type, undefined, flags)};`);
    }
  }
  const text = `${lines.join('\n')}\n`;
  const unresolved = text.match(/\b(TSchema|TObject|TUnion|Static|typebox)\b/);
  if (unresolved) throw new Error(`dist/protocol.d.ts still names ${unresolved[0]}`);
  writeFileSync(`${root}/dist/protocol.d.ts`, text);
}
