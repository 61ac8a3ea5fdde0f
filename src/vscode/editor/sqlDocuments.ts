// Which documents are SQL, which dialect they are written in, and the statement under the cursor or selection.
// Locating is pure text work (the lexer and locator from src/core/sql), cached per document version, so the
// code-action provider can run on every cursor move without I/O or re-scanning an unchanged document.
import * as vscode from 'vscode';
import { inferDialect, type Dialect } from '../../core/sql/dialect';
import { split, statementAt, type Statement } from '../../core/sql/locate';

export const sqlFileExtensions = ['sql', 'pgsql', 'psql', 'sqlite'] as const;

export const sqlDocumentSelector: vscode.DocumentSelector = [
  { language: 'sql' },
  ...sqlFileExtensions.map((ext) => ({ pattern: `**/*.${ext}` })),
];

export function isSqlDocument(doc: vscode.TextDocument): boolean {
  if (doc.languageId === 'sql') return true;
  const lower = doc.uri.path.toLowerCase();
  return sqlFileExtensions.some((ext) => lower.endsWith(`.${ext}`));
}

/** The dialect to read a document in (core/sql/dialect.ts decides): the connection's driver, else the file's extension. */
export function documentDialect(doc: vscode.TextDocument, driver?: string): Dialect {
  return inferDialect({ ...(driver ? { driver } : {}), fileName: doc.uri.path });
}

export interface LocatedStatement {
  statement: Statement;
  range: vscode.Range;
}

// One entry per open document: the statements of its current version (split once, then looked up by offset).
const cache = new Map<string, { version: number; dialect: Dialect; statements: Statement[] }>();

function statementsOf(doc: vscode.TextDocument, dialect: Dialect): Statement[] {
  const key = doc.uri.toString();
  const hit = cache.get(key);
  if (hit && hit.version === doc.version && hit.dialect === dialect) return hit.statements;
  const statements = split(doc.getText(), dialect);
  cache.set(key, { version: doc.version, dialect, statements });
  return statements;
}

export function forgetDocument(doc: vscode.TextDocument): void {
  cache.delete(doc.uri.toString());
}

/**
 * The statement to work on: a non-empty selection wins (as selected, trimmed); otherwise the statement under the
 * cursor by the locator's rules. For a bare cursor the cached split is consulted first, and the locator decides
 * the in-between cases (blank lines, comments) exactly as everywhere else.
 */
export function locateStatement(doc: vscode.TextDocument, selection: vscode.Selection | vscode.Range, dialect: Dialect): LocatedStatement | null {
  const start = doc.offsetAt(selection.start);
  const end = doc.offsetAt(selection.end);
  let statement: Statement | null = null;
  if (start === end) {
    const inside = statementsOf(doc, dialect).find((s) => s.start <= start && start < s.end);
    statement = inside ?? statementAt(doc.getText(), start, dialect);
  } else {
    statement = statementAt(doc.getText(), { start, end }, dialect);
  }
  if (!statement || !statement.text.trim()) return null;
  return { statement, range: new vscode.Range(doc.positionAt(statement.start), doc.positionAt(statement.end)) };
}
