// Redaction of chat text, for `dataeng.privacy.redactLiterals`: a message may be SQL, prose, or prose with SQL in it
// (and earlier turns hold the model's answers with SQL in code fences). SQL parts lose their literals through
// `redactLiterals`; prose parts lose quoted text and numbers, which is where people write values in a sentence.
import type { Dialect } from './dialect';
import { redactLiterals } from './redact';
import { findStatementInProse, isSqlText } from './statementShape';

const fenced = /(```[^\n`]*\n)([\s\S]*?)(```)/g;

/** Quoted text ('…', "…", `…` spans of prose are kept only as their quotes) and standalone numbers become `?`. */
export function redactProse(text: string): string {
  return text
    .replace(/'(?:[^'\n]|'')*'/g, "'?'")
    .replace(/"[^"\n]*"/g, '"?"')
    .replace(/(?<![\w.$#])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w.])/gi, '?');
}

function redactPlain(text: string, dialect: Dialect): string {
  const trimmed = text.trim();
  if (!trimmed) return text;
  if (isSqlText(trimmed, dialect)) return redactLiterals(text, dialect);
  const found = findStatementInProse(text, dialect);
  if (!found) return redactProse(text);
  const at = text.indexOf(found.sql);
  if (at < 0) return redactProse(text);
  return redactProse(text.slice(0, at)) + redactLiterals(found.sql, dialect) + redactPlain(text.slice(at + found.sql.length), dialect);
}

/** A chat message (question, earlier turn, model answer) with every literal value replaced. */
export function redactMessage(text: string, dialect: Dialect): string {
  let out = '';
  let pos = 0;
  for (const m of text.matchAll(fenced)) {
    out += redactPlain(text.slice(pos, m.index), dialect) + m[1]! + redactLiterals(m[2]!, dialect) + m[3]!;
    pos = m.index + m[0].length;
  }
  return out + redactPlain(text.slice(pos), dialect);
}
