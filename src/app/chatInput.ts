// Reading a chat message: which part is SQL to explain and which part is the question. Shared by the chat sidebar
// and the @dataeng participant. Prose stays prose: only a fenced SQL block, a message that is a complete statement
// by its shape (core/sql/statementShape.ts), or a statement set off inside the message counts as SQL, so a question
// like "Explain how BRIN indexes work" never opens a database.
import type { Dialect } from '../core/sql/dialect';
import { findStatementInProse, isSqlText } from '../core/sql/statementShape';

const fence = /```(?:sql|pgsql|postgres|postgresql|sqlite)?[ \t]*\r?\n([\s\S]*?)```/i;

/** Where the SQL comes from: a fenced block, a message that is SQL, or SQL inside the message; the rest is the question. */
export function sqlFromPrompt(prompt: string, dialect: Dialect = 'postgres'): { sql?: string; question?: string } {
  const fenced = fence.exec(prompt);
  if (fenced) {
    const question = (prompt.slice(0, fenced.index) + prompt.slice(fenced.index + fenced[0].length)).trim();
    const sql = fenced[1]!.trim();
    return { ...(sql ? { sql } : {}), ...(question ? { question } : {}) };
  }
  const text = prompt.trim();
  if (!text) return {};
  if (isSqlText(text, dialect)) return { sql: text };
  const found = findStatementInProse(text, dialect);
  if (found) {
    const question = [found.before, found.after].filter(Boolean).join('\n\n');
    return { sql: found.sql, ...(question ? { question } : {}) };
  }
  return { question: text };
}
